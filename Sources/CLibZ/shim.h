#ifndef RVUIMPORT_CLIBZ_SHIM_H
#define RVUIMPORT_CLIBZ_SHIM_H
#include <zlib.h>
#endif
