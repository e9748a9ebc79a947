#include "util/MemoryReuse.h"

#include <climits>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace stemscope {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);  // blocks up to 32 MiB come from the heap, not a fresh mapping
        mallopt(M_TRIM_THRESHOLD, INT_MAX);   // and stay there once freed
        mallopt(M_TOP_PAD, 512 << 20);        // grow the heap in large steps
    });
#endif
}

}  // namespace stemscope
