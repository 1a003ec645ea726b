/*
 * fuzz_text.h - what the text-input fuzz targets (fuzz_manifest.c, fuzz_platform.c) share:
 * input files in a private temporary directory (the manifest loader reads files by name), and
 * the position oracle: a reported LINE:COL must lie inside the text it is about.
 */
#ifndef FFM_FUZZ_TEXT_H
#define FFM_FUZZ_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Print `what` (and `detail`, may be NULL) and abort: a violated invariant. */
_Noreturn void ft_fail(const char *what, const char *detail);

/* The directory the target's files live in, created on first use (removed at exit). */
const char *ft_dir(void);

/* Write `len` bytes to ft_dir()/name; returns the full path (static storage per name slot
 * `slot`, 0..3). Aborts when the file cannot be written. */
const char *ft_write(unsigned slot, const char *name, const uint8_t *data, size_t len);

/*
 * Is 1-based (line, column) inside `text`? Lines are split at '\n' (a "\r\n" pair counts as
 * one break, a lone '\r' too, as libyaml does); the column may be one past the last character
 * of its line (an error at the end of a line), and the line one past the last line when the
 * text ends with a break (an error at the end of the input). Columns count characters: a
 * UTF-8 sequence is one column, so a position is checked against an upper bound in bytes.
 */
bool ft_pos_inside(const uint8_t *text, size_t len, unsigned line, unsigned column);

#endif /* FFM_FUZZ_TEXT_H */
