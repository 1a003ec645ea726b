/* internal_status_code.h (ffmsim shim for TF-M's tests) - included by the IPC test service;
 * none of TF-M's internal status codes is used by the SPM tests. Written for ffmsim; not
 * TF-M's header. */
#ifndef FFMSIM_SHIM_INTERNAL_STATUS_CODE_H
#define FFMSIM_SHIM_INTERNAL_STATUS_CODE_H
#endif
