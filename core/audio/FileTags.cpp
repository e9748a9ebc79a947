#include "audio/FileTags.h"

#include <taglib/fileref.h>
#include <taglib/tag.h>

namespace stemscope {

FileTags readFileTags(const std::string& path)
{
    FileTags out;
    try {
        // No audio properties: only the tags are wanted, and parsing them is cheap.
        TagLib::FileRef file(path.c_str(), false);
        if (file.isNull() || !file.tag()) return out;
        const TagLib::Tag* tag = file.tag();
        auto text = [](const TagLib::String& s) { return s.stripWhiteSpace().to8Bit(true); };
        out.title = text(tag->title());
        out.artist = text(tag->artist());
        out.album = text(tag->album());
        out.genre = text(tag->genre());
    } catch (...) {
        // A malformed tag must never cost the track: it is imported without tags.
    }
    return out;
}

}  // namespace stemscope
