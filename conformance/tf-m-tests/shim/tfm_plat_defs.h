/* tfm_plat_defs.h (ffmsim shim for TF-M's tests) - included by the IPC test service; nothing
 * of it is used by the SPM tests. Written for ffmsim; not TF-M's header. */
#ifndef FFMSIM_SHIM_TFM_PLAT_DEFS_H
#define FFMSIM_SHIM_TFM_PLAT_DEFS_H
#endif
