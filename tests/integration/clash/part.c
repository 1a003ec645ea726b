/* part.c - built twice (-DBASE=100 and -DBASE=200) into two images: both define the global
 * `shared_counter` and `shared_helper`, which must bind inside their own image. */
#include <psa/service.h>

int shared_counter;
int shared_helper(void);
psa_status_t SFN_NAME(const psa_msg_t *msg);

int shared_helper(void)
{
    return BASE + ++shared_counter;
}

psa_status_t SFN_NAME(const psa_msg_t *msg)
{
    (void)msg;
    return shared_helper();
}
