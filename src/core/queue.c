/*
 * queue.c - one FIFO of QUEUED messages per service, linked through the pool slots (a slot
 * carries at most one message). A service signal is asserted exactly while its FIFO is not
 * empty (SIG-06); order is SPM acceptance order within a service (SIG-07).
 */
#include "core_internal.h"

/* ffm-rule: SIG-06, SIG-07 */
void ffm_queue_push(struct ffm_spm *spm, uint8_t slot)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_service_state *q = &spm->service[s->service];

    s->msg.state = FFM_MSG_QUEUED;
    s->msg.next = FFM_SLOT_NONE;
    s->msg.accept_seq = ++spm->accept_seq;
    if (q->tail == FFM_SLOT_NONE) {
        q->head = slot;
    } else {
        spm->slot[q->tail].msg.next = slot;
    }
    q->tail = slot;
}

void ffm_queue_remove(struct ffm_spm *spm, uint8_t slot)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_service_state *q = &spm->service[s->service];
    uint8_t prev = FFM_SLOT_NONE;

    for (uint8_t cur = q->head; cur != FFM_SLOT_NONE; cur = spm->slot[cur].msg.next) {
        if (cur == slot) {
            if (prev == FFM_SLOT_NONE) {
                q->head = s->msg.next;
            } else {
                spm->slot[prev].msg.next = s->msg.next;
            }
            if (q->tail == slot) {
                q->tail = prev;
            }
            s->msg.next = FFM_SLOT_NONE;
            return;
        }
        prev = cur;
    }
    assert(!"message not in its service queue");
}

uint8_t ffm_queue_head(const struct ffm_spm *spm, uint16_t service)
{
    return spm->service[service].head;
}

int ffm_queue_oldest_service(const struct ffm_spm *spm, uint16_t partition)
{
    const struct ffm_partition_desc *p = ffm_part(spm, partition);
    int best = -1;
    uint32_t best_seq = 0u;

    for (uint16_t i = 0; i < p->n_services; i++) {
        uint16_t svc = (uint16_t)(p->first_service + i);
        uint8_t head = ffm_queue_head(spm, svc);
        if (head == FFM_SLOT_NONE) {
            continue;
        }
        uint32_t seq = spm->slot[head].msg.accept_seq;
        /* Serial-number comparison: correct across a wrap of accept_seq. */
        if (best < 0 || (int32_t)(seq - best_seq) < 0) {
            best = svc;
            best_seq = seq;
        }
    }
    return best;
}
