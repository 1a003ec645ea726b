/* ns.c - uses WORK_SP's services once each (W_LOGONLY twice per connection, W_QUIET never)
 * and checks every status. */
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

/* connect, `calls` calls of type 3 (the service answers with the type), close */
static int use(uint32_t sid, int calls)
{
    psa_handle_t h = psa_connect(sid, 1);
    if (h <= 0) {
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < calls; i++) {
        bad |= psa_call(h, 3, NULL, 0, NULL, 0) != 3;
    }
    psa_close(h);
    return bad;
}

int ns_main(void)
{
    int bad = use(W_CONNECT_WORK_SID, 1) | use(W_DISC_WORK_SID, 1) | use(W_LOGONLY_SID, 2);
    bad |= psa_connect(W_REFUSE_SID, 1) != PSA_ERROR_CONNECTION_REFUSED;
    printf("ns: work services %s\n", bad ? "FAILED" : "ok");
    return bad;
}
