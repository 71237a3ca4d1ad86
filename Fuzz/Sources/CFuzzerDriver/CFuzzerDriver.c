// Declarations only: LLVMFuzzerRunDriver comes from libFuzzer (see include/CFuzzerDriver.h).
#include "CFuzzerDriver.h"
