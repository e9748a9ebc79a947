#pragma once
// Source separation: a mono mix in, one signal per stem out. No implementation ships yet; the
// analysis pipeline takes an optional Separator and, without one, analyses only the mix focus
// of tracks that have no stem files next to them (status "skipped: no stems").
#include <map>
#include <string>
#include <vector>

namespace stemscope {

class Separator {
public:
    virtual ~Separator() = default;
    virtual std::string modelId() const = 0;
    virtual double sampleRate() const = 0;              // rate it expects and returns
    virtual std::vector<std::string> stemNames() const = 0;  // e.g. drums, bass, piano, guitar
    // Mono mix at sampleRate() -> stem name -> mono signal of the same length. Throws on failure.
    virtual std::map<std::string, std::vector<float>> separate(const std::vector<float>& mix) const = 0;
};

}  // namespace stemscope
