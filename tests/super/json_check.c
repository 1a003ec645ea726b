/*
 * json_check.c - recursive-descent JSON well-formedness checker for the trace tests.
 */
#include "json_check.h"

#include <string.h>

#define MAX_DEPTH 64

struct cursor {
    const char *s;
    size_t len;
    size_t pos;
    int depth;
};

static bool parse_value(struct cursor *c);

static int peek(const struct cursor *c)
{
    return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static void skip_ws(struct cursor *c)
{
    while (peek(c) == ' ' || peek(c) == '\t' || peek(c) == '\n' || peek(c) == '\r') {
        c->pos++;
    }
}

static bool eat(struct cursor *c, int ch)
{
    if (peek(c) != ch) {
        return false;
    }
    c->pos++;
    return true;
}

static bool is_hex(int ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool parse_escape(struct cursor *c)
{
    int i;

    if (strchr("\"\\/bfnrt", peek(c)) != NULL && peek(c) > 0) {
        c->pos++;
        return true;
    }
    if (!eat(c, 'u')) {
        return false;
    }
    for (i = 0; i < 4; i++) {
        if (!is_hex(peek(c))) {
            return false;
        }
        c->pos++;
    }
    return true;
}

static bool parse_string(struct cursor *c)
{
    if (!eat(c, '"')) {
        return false;
    }
    for (;;) {
        int ch = peek(c);

        if (ch < 0 || ch < 0x20) {
            return false; /* end of input or a raw control character */
        }
        c->pos++;
        if (ch == '"') {
            return true;
        }
        if (ch == '\\' && !parse_escape(c)) {
            return false;
        }
    }
}

static bool parse_digits(struct cursor *c)
{
    size_t start = c->pos;

    while (peek(c) >= '0' && peek(c) <= '9') {
        c->pos++;
    }
    return c->pos > start;
}

static bool parse_number(struct cursor *c)
{
    eat(c, '-');
    if (!eat(c, '0') && !parse_digits(c)) {
        return false;
    }
    if (eat(c, '.') && !parse_digits(c)) {
        return false;
    }
    if (eat(c, 'e') || eat(c, 'E')) {
        if (!eat(c, '+')) {
            eat(c, '-');
        }
        return parse_digits(c);
    }
    return true;
}

static bool parse_literal(struct cursor *c, const char *word)
{
    size_t n = strlen(word);

    if (c->len - c->pos < n || memcmp(c->s + c->pos, word, n) != 0) {
        return false;
    }
    c->pos += n;
    return true;
}

/* Elements of an array or members of an object, after the opening bracket. */
static bool parse_sequence(struct cursor *c, int close, bool members)
{
    skip_ws(c);
    if (eat(c, close)) {
        return true;
    }
    for (;;) {
        skip_ws(c);
        if (members) {
            if (!parse_string(c)) {
                return false;
            }
            skip_ws(c);
            if (!eat(c, ':')) {
                return false;
            }
        }
        if (!parse_value(c)) {
            return false;
        }
        skip_ws(c);
        if (eat(c, close)) {
            return true;
        }
        if (!eat(c, ',')) {
            return false;
        }
    }
}

static bool parse_nested(struct cursor *c, int close, bool members)
{
    bool ok;

    if (++c->depth > MAX_DEPTH) {
        return false;
    }
    c->pos++;
    ok = parse_sequence(c, close, members);
    c->depth--;
    return ok;
}

static bool parse_value(struct cursor *c)
{
    skip_ws(c);
    switch (peek(c)) {
    case '{': return parse_nested(c, '}', true);
    case '[': return parse_nested(c, ']', false);
    case '"': return parse_string(c);
    case 't': return parse_literal(c, "true");
    case 'f': return parse_literal(c, "false");
    case 'n': return parse_literal(c, "null");
    default: return parse_number(c);
    }
}

bool json_well_formed(const char *text, size_t len, size_t *error_at)
{
    struct cursor c = { text, len, 0, 0 };
    bool ok = parse_value(&c);

    if (ok) {
        skip_ws(&c);
        ok = c.pos == c.len;
    }
    if (!ok && error_at != NULL) {
        *error_at = c.pos;
    }
    return ok;
}
