/* utilities.h (ffmsim shim for TF-M's tests) - included by the IPC client test partition;
 * nothing of it is used in the configurations built here. Written for ffmsim; not TF-M's
 * header. */
#ifndef FFMSIM_SHIM_UTILITIES_H
#define FFMSIM_SHIM_UTILITIES_H
#endif
