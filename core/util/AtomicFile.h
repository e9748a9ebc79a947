#pragma once
// Files replaced whole: readers never see one half written, and two writers of the same path
// (two trainings sharing a cache, two chains of a script) never share a temporary file.
#include <functional>
#include <ostream>
#include <string>

namespace stemscope {

// Calls body(stream) on a temporary file beside `path` with a name of its own, then renames it onto
// `path` (atomic on one file system). On any failure (cannot open, body throws, a write or the
// rename fails) the temporary is removed and std::runtime_error names `path`; an earlier file at
// `path` is then left as it was. The parent folder must exist.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& body);

}  // namespace stemscope
