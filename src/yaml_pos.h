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

/* Clamp the 0-based (line, column) of a mark into `text` (as described above). */
static inline void ffm_yaml_pos_clamp(const unsigned char *text, size_t len, size_t *line,
                                      size_t *column)
{
    size_t breaks = 0, last_start = 0;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            breaks++;
            last_start = i + 1;
        }
    }
    if (len > 0 && last_start < len && *line > breaks) {
        size_t chars = 0;
        for (size_t i = last_start; i < len; i++) {
            chars += (text[i] & 0xC0u) != 0x80u; /* libyaml counts characters, not bytes */
        }
        *line = breaks;
        *column = chars;
    }
}

#endif /* FFM_YAML_POS_H */
