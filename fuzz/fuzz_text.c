/*
 * fuzz_text.c - temporary input files and the position oracle of the text-input fuzz targets
 * (see fuzz_text.h).
 */
#include "fuzz_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FT_SLOTS 4u

static char dir[64];
static char paths[FT_SLOTS][128];

_Noreturn void ft_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz oracle: violated: %s%s%s\n", what, detail != NULL ? ": " : "",
            detail != NULL ? detail : "");
    abort();
}

static void remove_dir(void)
{
    for (unsigned i = 0; i < FT_SLOTS; i++) {
        if (paths[i][0] != '\0') {
            (void)unlink(paths[i]);
        }
    }
    (void)rmdir(dir);
}

const char *ft_dir(void)
{
    if (dir[0] == '\0') {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%.40s/ffmfuzz.XXXXXX",
                 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
        if (mkdtemp(dir) == NULL) {
            ft_fail("cannot create a temporary directory", dir);
        }
        atexit(remove_dir);
    }
    return dir;
}

const char *ft_write(unsigned slot, const char *name, const uint8_t *data, size_t len)
{
    if (slot >= FT_SLOTS) {
        ft_fail("ft_write: slot out of range", name);
    }
    if (paths[slot][0] != '\0') {
        (void)unlink(paths[slot]); /* the previous input's file of this slot */
    }
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", ft_dir(), name);
    FILE *f = fopen(paths[slot], "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        ft_fail("cannot write the input file", paths[slot]);
    }
    return paths[slot];
}

bool ft_pos_inside(const uint8_t *text, size_t len, unsigned line, unsigned column)
{
    unsigned cur = 1;
    size_t start = 0;

    if (line == 0 || column == 0) {
        return false;
    }
    for (size_t i = 0; i < len && cur < line; i++) {
        bool brk = text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'));
        if (brk) {
            cur++;
            start = i + 1;
        }
    }
    if (cur < line) {
        return false;
    }
    size_t end = start;
    while (end < len && text[end] != '\n' && text[end] != '\r') {
        end++;
    }
    return (size_t)column <= end - start + 1u;
}
