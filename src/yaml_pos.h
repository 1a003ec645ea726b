/*
 * yaml_pos.h - keep a libyaml position inside the text it is about, for the two loaders that
 * report positions (src/manifest/mf_yaml.c, sim/platform_file.c).
 *
 * At the end of a text whose last line has no line break, libyaml reports the end of the
 * stream at column 0 of the line after the last one, a line the file does not have. Errors
 * found there (an unterminated flow collection, a missing ':') are reported instead at the end
 * of the last line, where an editor can show them. Every other position is libyaml's own.
 */
#ifndef FFM_YAML_POS_H
#define FFM_YAML_POS_H

#include <stddef.h>

#include <stdbool.h>

/* What the clamp needs to know of a text, found in one pass (a loader that places every node
 * keeps it: one pass per node would make loading quadratic in the input's size). */
struct ffm_yaml_text_end {
    size_t breaks;   /* line breaks in the text */
    size_t last;     /* characters on the last line when it has no line break */
    bool open_last;  /* the text ends without a line break */
};

static inline struct ffm_yaml_text_end ffm_yaml_text_end(const unsigned char *text, size_t len)
{
    struct ffm_yaml_text_end e = { 0, 0, false };
    size_t last_start = 0;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            e.breaks++;
            last_start = i + 1;
        }
    }
    e.open_last = len > 0 && last_start < len;
    for (size_t i = last_start; e.open_last && i < len; i++) {
        e.last += (text[i] & 0xC0u) != 0x80u; /* libyaml counts characters, not bytes */
    }
    return e;
}

/* Clamp the 0-based (line, column) of a mark into the text described by `e`. */
static inline void ffm_yaml_pos_clamp_end(const struct ffm_yaml_text_end *e, size_t *line,
                                          size_t *column)
{
    if (e->open_last && *line > e->breaks) {
        *line = e->breaks;
        *column = e->last;
    }
}

/* The same for one mark of `text` (one pass over it). */
static inline void ffm_yaml_pos_clamp(const unsigned char *text, size_t len, size_t *line,
                                      size_t *column)
{
    struct ffm_yaml_text_end e = ffm_yaml_text_end(text, len);
    ffm_yaml_pos_clamp_end(&e, line, column);
}

#endif /* FFM_YAML_POS_H */
