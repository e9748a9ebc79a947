#pragma once
// A stand-in separator for engine tests: stem k (drums, bass, piano, guitar, other) is the mix
// scaled by 0.1 (k + 1). It counts its calls and can be slowed down, so tests can see how often
// the engine separates and can cancel it mid-way.
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "separation/Separator.h"

namespace stemscope::test {

struct ScaleSeparator : Separator {
    mutable std::atomic<int> calls{0};
    std::atomic<int> delayMs{0};
    std::string id = "test-separator";
    std::string modelId() const override { return id; }
    double sampleRate() const override { return 22050.0; }
    std::vector<std::string> stemNames() const override { return {"drums", "bass", "piano", "guitar", "other"}; }
    std::map<std::string, std::vector<float>> separate(const std::vector<float>& mix) const override
    {
        ++calls;
        if (delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(int(delayMs)));
        std::map<std::string, std::vector<float>> out;
        float g = 0.1f;
        for (const auto& n : stemNames()) {
            auto& x = out[n] = mix;
            for (float& v : x) v *= g;
            g += 0.1f;
        }
        return out;
    }
};

}  // namespace stemscope::test
