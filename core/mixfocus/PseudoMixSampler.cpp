#include "mixfocus/PseudoMixSampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/SegmentFeatures.h"
#include "mixfocus/MelAugment.h"

namespace stemscope {

namespace {
constexpr double kMaxTempo = 1.12;  // spans are sized for the fastest tempo change
}

PseudoMixSampler::PseudoMixSampler(const StemBank& bank, std::vector<int> songs, PseudoMixConfig config,
                                   std::vector<std::array<int, kBankStems>> timbre, std::vector<std::vector<int>> twins)
    : bank_(bank), songs_(std::move(songs)), cfg_(config), timbre_(std::move(timbre)), twins_(std::move(twins))
{
    if (songs_.size() < 4) throw std::runtime_error("pseudo-mix training needs at least 4 songs");
    if (!timbre_.empty() && timbre_.size() != bank_.songs.size())
        throw std::invalid_argument("timbre keys: one entry per bank song");
    if (!twins_.empty() && twins_.size() != bank_.songs.size())
        throw std::invalid_argument("twins: one entry per bank song");
    for (const auto& list : twins_)
        for (int t : list)
            if (t < 0 || size_t(t) >= bank_.songs.size()) throw std::invalid_argument("twins: song index out of range");
    if (!timbre_.empty())
        for (int s : songs_)
            for (int part = 0; part < kBankStems; ++part)
                if (timbre_[size_t(s)][size_t(part)] >= 0) songsByTimbre_[size_t(part)][timbre_[size_t(s)][size_t(part)]].push_back(s);
    energyPrefix_.resize(bank_.songs.size());
    for (int s : songs_) {
        const auto& song = bank_.songs.at(size_t(s));
        if (song.frames < span(kMaxTempo) + 1)
            throw std::runtime_error("song " + song.name + " is shorter than one training item");
        for (size_t k = 0; k < kBankTracks.size(); ++k) {
            auto& pre = energyPrefix_[size_t(s)][k];
            pre.assign(size_t(song.frames) + 1, 0.0);
            for (int t = 0; t < song.frames; ++t) {
                const float* r = song.frame(int(k), t);
                double e = 0;
                for (int b = 0; b < bank_.bands; ++b) e += r[b];
                pre[size_t(t) + 1] = pre[size_t(t)] + e;
            }
        }
    }
    for (int f : cfg_.focusCycle)
        if (f < 0 || f > 4) throw std::invalid_argument("pseudo-mix focus index out of range");
    octaveMap_ = bandMap(2.0);
    twelfthMap_ = bandMap(3.0);
    doubleOctaveMap_ = bandMap(4.0);
}

std::vector<float> PseudoMixSampler::bandMap(double ratio) const
{
    if (bank_.features == EmbedderFeatures::Cqt)
        return logBandMapForRatio(bank_.bands, cqtConfigAt(kAnalysisSampleRate).binsPerOctave, ratio);
    return bandMapForRatio(bank_.bands, ratio);
}

double PseudoMixSampler::activeStart(int song, int track, double tempo, std::mt19937_64& rng) const
{
    // A window where the part plays: its energy within 20 dB of the part's average (8 tries).
    const auto& s = bank_.songs[size_t(song)];
    const int need = span(tempo);
    const auto& pre = energyPrefix_[size_t(song)][size_t(track)];
    const double mean = pre.back() / std::max(1, s.frames);
    std::uniform_int_distribution<int> pick(0, s.frames - need);
    int best = pick(rng);
    double bestE = -1;
    for (int i = 0; i < 8; ++i) {
        const int t = i == 0 ? best : pick(rng);
        const int a = t + int(cfg_.leadIn * tempo), b = t + need - 2;
        const double e = (pre[size_t(b)] - pre[size_t(a)]) / std::max(1, b - a);
        if (e > bestE) bestE = e, best = t;
        if (e >= 0.01 * mean) return t;
    }
    return best;
}

void PseudoMixSampler::render(const Item& item, std::mt19937_64& rng, float* out, float* partMask, float* soloOut) const
{
    std::uniform_real_distribution<double> u(0.0, 1.0), sym(-1.0, 1.0);
    const int L = cfg_.leadIn + cfg_.frames;
    const bool aug = cfg_.augment;
    MelBlock total(L, bank_.bands), part;
    for (const auto& g : item.groups) {
        const auto& song = bank_.songs[size_t(g.song)];
        // One tempo and pitch per source song, so the parts of one song stay together.
        const double tempo = aug && u(rng) < cfg_.tempoProb ? 1.0 + cfg_.tempoRange * sym(rng) : 1.0;
        std::vector<float> map;
        if (aug && u(rng) < cfg_.pitchProb) map = bandMap(std::pow(2.0, cfg_.pitchSemitones * sym(rng) / 12.0));
        for (int track : g.tracks) {
            MelBlock b = extractBlock(song.power[size_t(track)].data(), song.frames, bank_.bands, g.start, tempo, L, map);
            if (g.gainDb != 0) applyGainDb(b, g.gainDb);
            if (aug) {
                applyGainDb(b, cfg_.stemGainDb * sym(rng));
                if (u(rng) < cfg_.eqProb) applyEq(b, rng, cfg_.eqDb);
                if (track == kBankGuitar && u(rng) < cfg_.overdriveProb) applyOverdrive(b, 0.3 + 0.7 * u(rng), octaveMap_, twelfthMap_);
                // Drawn only when on, so a recipe without it keeps its random stream (and its results).
                if (cfg_.timbreProb > 0 && u(rng) < cfg_.timbreProb)
                    applyTimbreWarp(b, rng, cfg_.timbreAmount * u(rng), octaveMap_, twelfthMap_, doubleOctaveMap_);
                if (u(rng) < cfg_.stemReverbProb) applyReverb(b, 0.2 + 1.3 * u(rng), 0.2 + 0.8 * u(rng));
            }
            if ((partMask || soloOut) && &g == &item.groups.front()) part = b;
            addInto(total, b);
        }
    }
    if (partMask) {
        // The part's share before the whole-mix effects (room, compression): where it is, not how
        // the bus coloured it. Silent bins (both under the dB floor) count as not the part's.
        for (int t = 0; t < cfg_.frames; ++t) {
            const float* all = total.row(cfg_.leadIn + t);
            const float* mine = part.row(cfg_.leadIn + t);
            float* m = partMask + size_t(t) * size_t(bank_.bands);
            for (int k = 0; k < bank_.bands; ++k) m[k] = all[k] > 1e-10f ? std::clamp(mine[k] / all[k], 0.f, 1.f) : 0.f;
        }
    }
    double recordingDb = 0;
    if (aug) {
        if (u(rng) < cfg_.roomReverbProb) applyReverb(total, 0.3 + 1.7 * u(rng), 0.1 + 0.6 * u(rng));
        if (u(rng) < cfg_.compressProb) applyCompression(total, 3 + 9 * u(rng), 2 + 6 * u(rng));
        if (u(rng) < cfg_.eqProb * 0.5) applyEq(total, rng, cfg_.eqDb * 0.5);
        recordingDb = cfg_.globalGainDb * sym(rng);
        applyGainDb(total, recordingDb);
    }
    toDb(total, cfg_.leadIn, cfg_.frames, out);
    if (soloOut) {
        // The same recording level as the item (the network's input statistics), nothing else of the bus.
        applyGainDb(part, recordingDb);
        toDb(part, cfg_.leadIn, cfg_.frames, soloOut);
    }
}

PseudoMixBatch PseudoMixSampler::batch(int groups, std::mt19937_64& rng, double accompanimentDb) const
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<size_t> pickSong(0, songs_.size() - 1);
    const int n = std::max(1, groups);
    const int K = std::max(2, cfg_.positives);
    std::vector<Item> items;
    items.reserve(size_t(n * (K + 1)));
    PseudoMixBatch out;
    out.items = n * (K + 1);
    out.groupSize = K + 1;
    out.frames = cfg_.frames;
    out.bands = bank_.bands;
    int64_t unique = -1;
    // Instrument focuses twice as often as the mix focus (the mix is the easy one).
    static const std::vector<int> kDefaultCycle{1, 2, 3, 4, 0, 1, 2, 3, 4};
    const std::vector<int>& cycle = cfg_.focusCycle.empty() ? kDefaultCycle : cfg_.focusCycle;
    const int firstFocus = int(rng() % cycle.size());
    auto other = [&](const std::vector<int>& used) {
        for (;;) {
            const int s = songs_[pickSong(rng)];
            if (std::find(used.begin(), used.end(), s) == used.end()) return s;
        }
    };
    auto accompaniment = [](int part) {
        std::vector<int> t;
        for (int k = 0; k < kBankStems; ++k)
            if (k != part) t.push_back(k);
        return t;
    };
    // Only the group's own focus gets a song label; the item is a negative (a unique label) for
    // every other focus. Labelling the shared accompaniment too made the most common positive pair
    // "same accompaniment, another part", which taught every subspace to hear the accompaniment.
    auto onlyFocus = [&](Item& it, int focus, int song) {
        for (auto& l : it.labels) l = unique--;
        it.labels[size_t(focus)] = song;
    };
    for (int k = 0; k < n; ++k) {
        const int fi = cycle[size_t(firstFocus + k) % cycle.size()];
        out.groupFocus.push_back(fi);
        const int A = songs_[pickSong(rng)];
        std::vector<int> used{A};
        if (fi == 0) {
            // Mix focus: K segments of A's mix (the real mix, or the augmented sum of its own stems)
            // and one of another song's.
            auto mixItem = [&](int song) {
                Item it;
                Group g{song, activeStart(song, kBankMix, kMaxTempo, rng), {}};
                if (cfg_.augment && u(rng) < 0.5) g.tracks = {0, 1, 2, 3, 4};
                else g.tracks = {kBankMix};
                it.groups = {g};
                onlyFocus(it, 0, song);
                items.push_back(std::move(it));
            };
            for (int i = 0; i < K; ++i) mixItem(A);
            mixItem(other(used));
            continue;
        }
        const int part = fi - 1;
        // `partSong` plays the part; the item is labelled `label` (the song, or the song a twin renders).
        auto pseudo = [&](int partSong, double partStart, int acc, double start, int label) {
            Item it;
            const double quiet = cfg_.augment && u(rng) < cfg_.quietPartProb ? -cfg_.quietPartDb * u(rng) : 0.0;
            it.groups = {Group{partSong, partStart, {part}, quiet}};
            if (!(cfg_.augment && u(rng) < cfg_.soloProb))
                it.groups.push_back(Group{acc, start, accompaniment(part), accompanimentDb});
            onlyFocus(it, fi, label);
            items.push_back(std::move(it));
        };
        // A's part for a positive: A itself, or (twinProb) a twin long enough for the segment.
        // Drawn only when on, so a recipe without it keeps its random stream.
        auto partPlayer = [&](double start) {
            if (cfg_.twinProb <= 0 || twins_.empty() || twins_[size_t(A)].empty() || u(rng) >= cfg_.twinProb) return A;
            const auto& list = twins_[size_t(A)];
            const int twin = list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng)];
            return bank_.songs[size_t(twin)].frames >= int(start) + span(kMaxTempo) ? twin : A;
        };
        const double t1 = activeStart(A, part, kMaxTempo, rng);
        const bool real = u(rng) < cfg_.realMixProb;
        // The first item's accompaniment (song, start) is shared by the group's negative.
        const int accSong = real ? A : other(used);
        used.push_back(accSong);
        const double accStart = real ? t1 : activeStart(accSong, kBankMix, kMaxTempo, rng);
        if (real) {
            Item it;
            it.groups = {Group{A, t1, {kBankMix}}};
            onlyFocus(it, fi, A);
            items.push_back(std::move(it));
        } else {
            pseudo(A, t1, accSong, accStart, A);
        }
        // The other K - 1: A's part (the same segment, or another) under other accompaniments.
        for (int i = 1; i < K; ++i) {
            const int acc = other(used);
            used.push_back(acc);
            const double t = u(rng) < cfg_.sameSegmentProb ? t1 : activeStart(A, part, kMaxTempo, rng);
            const double accAt = activeStart(acc, kBankMix, kMaxTempo, rng);
            pseudo(partPlayer(t), t, acc, accAt, A);
        }
        // The hard negative: another song's part under the first item's accompaniment.
        int D = -1;
        if (cfg_.sameTimbreNegativeProb > 0 && !timbre_.empty() && u(rng) < cfg_.sameTimbreNegativeProb) {
            const auto it = songsByTimbre_[size_t(part)].find(timbre_[size_t(A)][size_t(part)]);
            std::vector<int> alike;
            if (it != songsByTimbre_[size_t(part)].end())
                for (int s : it->second)
                    if (std::find(used.begin(), used.end(), s) == used.end()) alike.push_back(s);
            if (!alike.empty()) D = alike[std::uniform_int_distribution<size_t>(0, alike.size() - 1)(rng)];
        }
        if (D < 0) D = other(used);
        pseudo(D, activeStart(D, part, kMaxTempo, rng), accSong, accStart, D);
    }
    const size_t per = size_t(cfg_.frames) * size_t(bank_.bands);
    out.logMel.resize(items.size() * per);
    if (cfg_.maskTargets) out.partMask.assign(items.size() * per, -1.f);
    if (cfg_.soloTargets) out.soloLogMel.assign(items.size() * per, -100.f);
    out.hasPart.assign(items.size(), 0);
    for (size_t i = 0; i < items.size(); ++i) {
        // An instrument item's first group is its part (one track), unless the item is a real mix:
        // those, and mix-focus items, keep the -1 of "no target".
        const int fi = out.groupFocus[i / size_t(out.groupSize)];
        const auto& first = items[i].groups.front();
        const bool hasPart = fi > 0 && first.tracks.size() == 1 && first.tracks[0] == fi - 1;
        render(items[i], rng, out.logMel.data() + i * per,
               cfg_.maskTargets && hasPart ? out.partMask.data() + i * per : nullptr,
               cfg_.soloTargets && hasPart ? out.soloLogMel.data() + i * per : nullptr);
        out.hasPart[i] = hasPart;
        for (int f = 0; f < 5; ++f) out.labels[size_t(f)].push_back(items[i].labels[size_t(f)]);
    }
    return out;
}

}  // namespace stemscope
