/* ctor_sp.c - CTOR_PID replies the process id its image's constructor ran in. CTOR_MODE
 * chooses what the constructor does besides: 0 nothing, 1 fault (write through a null
 * pointer), 2 exit(0), 3 spin forever. */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include <stdlib.h>
#include <unistd.h>

#include <psa/service.h>

#include "psa_manifest/ctor_sp.h"
#include "psa_manifest/sid.h"

#ifndef CTOR_MODE
#define CTOR_MODE 0
#endif

static pid_t ctor_pid;
static volatile int *volatile nowhere;

__attribute__((constructor)) static void ctor(void)
{
    ctor_pid = getpid();
    if (CTOR_MODE == 1) {
        *nowhere = 1;
    } else if (CTOR_MODE == 2) {
        exit(0);
    } else if (CTOR_MODE == 3) {
        for (;;) {
        }
    }
}

psa_status_t ctor_pid_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return (psa_status_t)ctor_pid;
}
