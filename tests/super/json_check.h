/*
 * json_check.h - a small, strict JSON well-formedness checker (RFC 8259) for the trace tests,
 * so that they need no external tool: objects, arrays, strings with escapes, numbers, literals.
 */
#ifndef FFM_TEST_JSON_CHECK_H
#define FFM_TEST_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* True when text[0..len) is exactly one JSON value, with optional whitespace around it.
 * On failure, *error_at (if not NULL) is the byte offset where parsing failed. */
bool json_well_formed(const char *text, size_t len, size_t *error_at);

#endif /* FFM_TEST_JSON_CHECK_H */
