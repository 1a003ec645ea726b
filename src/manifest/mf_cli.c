/*
 * mf_cli.c - command-line helpers shared by ffm-manifest and ffm-sim (manifest.h), so that
 * -D NAME[=VALUE] and --backend are checked by one implementation and mean exactly the same
 * in both tools.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "manifest/mf_internal.h"

/* NAME must be a C identifier, or it could never match a `conditional` and a typo ("-D =1",
 * "-D 'A B'") would silently disable partitions (MAN-04). */
bool ffm_manifest_define_ok(const char *def)
{
    size_t n = strcspn(def, "=");
    if (n == 0 || (def[0] >= '0' && def[0] <= '9')) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = def[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '_';
        if (!alnum) {
            return false;
        }
    }
    return true;
}

bool ffm_manifest_backend_parse(const char *text, enum ffm_backend *out)
{
    if (strcasecmp(text, "ipc") == 0) {
        *out = FFM_BACKEND_IPC;
        return true;
    }
    if (strcasecmp(text, "sfn") == 0) {
        *out = FFM_BACKEND_SFN;
        return true;
    }
    return false;
}
