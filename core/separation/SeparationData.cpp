#include "separation/SeparationData.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <filesystem>
#include <mutex>
#include <thread>

#include <c10/util/Half.h>

#include "audio/AudioDecoder.h"
#include "instrsim/FeatureSet.h"

namespace stemscope {
namespace fs = std::filesystem;

long long SeparationSong::length() const
{
    if (full_.empty()) return 0;
    if (mapped_[0]) return mappedLength_;
    return (long long)(half_[0].empty() ? full_[0].size() : half_[0].size());
}

const void* SeparationSong::halfData(int s) const
{
    if (const auto* m = mapped_.at(size_t(s))) return m;
    return half_[size_t(s)].empty() ? nullptr : half_[size_t(s)].data();
}

void SeparationSong::setStem(int s, const std::vector<float>& x, bool halfPrecision)
{
    if (s < 0 || s > stemCount()) throw std::out_of_range("SeparationSong::setStem: no stem " + std::to_string(s));
    if (owner_) throw std::logic_error("SeparationSong::setStem: the song's stems are mapped");
    if (stemCount() > 0 && (long long)x.size() != length() && !(s == 0 && stemCount() == 1))
        throw std::invalid_argument("SeparationSong::setStem: stems of one song must have the same length");
    std::vector<float> f;
    std::vector<uint16_t> h;
    if (halfPrecision) {
        h.resize(x.size());
        for (size_t i = 0; i < x.size(); ++i) h[i] = c10::detail::fp16_ieee_from_fp32_value(x[i]);
    } else {
        f = x;
    }
    if (s == stemCount()) {
        full_.push_back(std::move(f));
        half_.push_back(std::move(h));
        mapped_.push_back(nullptr);
    } else {
        full_[size_t(s)] = std::move(f);
        half_[size_t(s)] = std::move(h);
    }
}

void SeparationSong::setHalfBits(int s, std::vector<uint16_t> bits)
{
    if (s != stemCount()) throw std::out_of_range("SeparationSong::setHalfBits: stems are added in order");
    if (stemCount() > 0 && (long long)bits.size() != length())
        throw std::invalid_argument("SeparationSong::setHalfBits: stems of one song must have the same length");
    if (owner_) throw std::logic_error("SeparationSong::setHalfBits: the song's stems are mapped");
    full_.emplace_back();
    half_.push_back(std::move(bits));
    mapped_.push_back(nullptr);
}

void SeparationSong::setMappedHalfBits(int s, const void* bits, long long n, std::shared_ptr<const void> owner)
{
    if (s != stemCount()) throw std::out_of_range("SeparationSong::setMappedHalfBits: stems are added in order");
    if (stemCount() > 0 && (!owner_ || n != length()))
        throw std::invalid_argument("SeparationSong::setMappedHalfBits: stems of one song are all mapped, of one length");
    if (!bits || !owner) throw std::invalid_argument("SeparationSong::setMappedHalfBits: no memory");
    full_.emplace_back();
    half_.emplace_back();
    mapped_.push_back(static_cast<const unsigned char*>(bits));
    mappedLength_ = n;
    owner_ = std::move(owner);
}

std::vector<float> SeparationSong::stem(int s) const
{
    std::vector<float> out(static_cast<size_t>(length()));
    copyStem(s, 0, length(), 1.f, out.data());
    return out;
}

void SeparationSong::copyStem(int s, long long offset, long long n, float gain, float* dst) const
{
    if (const auto* bytes = static_cast<const unsigned char*>(halfData(s))) {
        // memcpy per value: a mapped cache's data need not be 2-byte aligned.
        const unsigned char* src = bytes + 2 * offset;
        for (long long i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, src + 2 * i, 2);
            dst[i] = gain * c10::detail::fp16_ieee_to_fp32_value(h);
        }
    } else {
        const float* src = full_.at(size_t(s)).data() + offset;
        for (long long i = 0; i < n; ++i) dst[i] = gain * src[i];
    }
}

std::vector<float> SeparationSong::mix() const
{
    const size_t n = static_cast<size_t>(length());
    std::vector<float> m(n, 0.f), x(n);
    for (int s = 0; s < stemCount(); ++s) {
        copyStem(s, 0, length(), 1.f, x.data());
        for (size_t i = 0; i < m.size(); ++i) m[i] += x[i];
    }
    return m;
}

std::string sourceFile(const std::string& songDir, const std::string& source)
{
    for (const char* ext : {".flac", ".wav", ".ogg", ".aiff", ".aif", ".mp3"}) {
        const fs::path p = fs::u8path(songDir) / (source + ext);
        if (fs::exists(p)) return p.u8string();
    }
    return {};
}

SeparationData loadSeparationData(const std::string& corpusDir, const std::vector<std::string>& sources,
                                  double sampleRate, int maxSongs, int threads,
                                  const std::function<void(int, int)>& progress, std::vector<std::string>* skipped,
                                  const std::atomic<bool>* cancel, bool halfPrecision)
{
    auto names = listCorpusSongs(corpusDir);
    if (maxSongs > 0 && int(names.size()) > maxSongs) names.resize(size_t(maxSongs));
    std::vector<SeparationSong> songs(names.size());
    std::vector<std::string> errors(names.size());
    std::mutex m;
    size_t next = 0;
    int done = 0;
    auto worker = [&] {
        for (;;) {
            size_t i;
            {
                std::lock_guard<std::mutex> lock(m);
                if (next >= names.size() || (cancel && *cancel)) return;
                i = next++;
            }
            SeparationSong s;
            s.name = names[i];
            const std::string dir = (fs::u8path(corpusDir) / fs::u8path(names[i])).u8string();
            try {
                DecodeOptions o;
                o.targetSampleRate = sampleRate;
                long long len = 0;
                std::vector<std::vector<float>> decoded;
                for (const auto& src : sources) {
                    const std::string f = sourceFile(dir, src);
                    decoded.push_back(f.empty() ? std::vector<float>{} : defaultAudioDecoder()->decodeMono(f, o).samples);
                    len = std::max(len, (long long)decoded.back().size());
                }
                if (len == 0) throw std::runtime_error("no stem files");
                for (size_t k = 0; k < decoded.size(); ++k) {
                    decoded[k].resize(size_t(len), 0.f);
                    s.setStem(int(k), decoded[k], halfPrecision);
                    std::vector<float>().swap(decoded[k]);  // one song's floats at a time
                }
                songs[i] = std::move(s);
            } catch (const std::exception& e) {
                errors[i] = names[i] + ": " + e.what();
            }
            std::lock_guard<std::mutex> lock(m);
            ++done;
            if (progress) progress(done, int(names.size()));
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();

    SeparationData d;
    d.sources = sources;
    d.sampleRate = sampleRate;
    for (size_t i = 0; i < songs.size(); ++i) {
        if (!errors[i].empty()) {
            if (skipped) skipped->push_back(errors[i]);
        } else if (songs[i].stemCount() > 0) {
            d.songs.push_back(std::move(songs[i]));
        }
    }
    return d;
}

}  // namespace stemscope
