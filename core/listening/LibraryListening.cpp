#include "listening/LibraryListening.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "audio/AudioDecoder.h"
#include "index/NeighbourSearch.h"
#include "library/LibraryStore.h"
#include "library/StemLocator.h"

namespace stemscope::listening {

LibraryListening::LibraryListening(std::shared_ptr<LibraryStore> store, std::map<Focus, std::string> modelIds)
    : library_(std::move(store)), modelIds_(std::move(modelIds))
{
    listeningStore_ = std::make_unique<ListeningStore>(library_->path());
}

LibraryListening::~LibraryListening() = default;

std::string LibraryListening::modelId(Focus focus)
{
    {
        std::lock_guard<std::mutex> l(mutex_);
        if (auto it = modelIds_.find(focus); it != modelIds_.end() && !it->second.empty()) return it->second;
    }
    const auto models = library_->analysedModels(focus);
    std::string id = models.empty() ? std::string() : models.front();
    std::lock_guard<std::mutex> l(mutex_);
    if (!id.empty()) modelIds_[focus] = id;
    return id;
}

std::shared_ptr<NeighbourSearch> LibraryListening::search(Focus focus)
{
    {
        std::lock_guard<std::mutex> l(mutex_);
        if (auto it = searches_.find(focus); it != searches_.end()) return it->second;
    }
    const std::string model = modelId(focus);
    if (model.empty()) return nullptr;
    auto s = std::make_shared<NeighbourSearch>(NeighbourSearch::load(*library_, focus, model));
    std::lock_guard<std::mutex> l(mutex_);
    searches_[focus] = s;
    return s;
}

std::vector<int64_t> LibraryListening::neighbours(int64_t trackId, Focus space, int k)
{
    auto s = search(space);
    std::vector<int64_t> out;
    if (!s || !s->contains(trackId)) return out;
    for (const auto& n : s->similarTracks(trackId, k)) out.push_back(n.trackId);
    return out;
}

std::vector<int64_t> LibraryListening::anchors(Focus focus, const std::vector<Focus>& instrumentSpaces)
{
    auto f = search(focus);
    if (!f) return {};
    std::vector<std::shared_ptr<NeighbourSearch>> negatives;
    if (focus == Focus::Mix) {
        for (Focus s : instrumentSpaces)
            if (auto n = search(s)) negatives.push_back(n);
    } else if (auto n = search(Focus::Mix)) {
        negatives.push_back(n);
    }
    if (negatives.empty()) return {};
    std::vector<int64_t> out;
    for (const auto& t : library_->tracks()) {
        if (!f->contains(t.id)) continue;
        // For focus mix an anchor needs at least one instrument space (its draw may pick another
        // one: that set is then invalid and redrawn).
        if (std::any_of(negatives.begin(), negatives.end(), [&](const auto& n) { return n->contains(t.id); }))
            out.push_back(t.id);
    }
    return out;
}

NewSessionResult LibraryListening::createSession(const NewSessionRequest& request)
{
    NewSessionResult r;
    SessionSpec spec = request.spec;
    spec.modelId = modelId(spec.focus);
    std::vector<Trial> trials;
    if (request.reuseSetsOf > 0) {
        trials = listeningStore_->trials(request.reuseSetsOf);
        if (trials.empty()) {
            r.message = "session " + std::to_string(request.reuseSetsOf) + " has no trials to reuse";
            return r;
        }
        const auto info = listeningStore_->session(request.reuseSetsOf);
        if (info) {
            spec.mode = modeFromName(info->mode);
            spec.focus = focusFromName(info->focus).value_or(spec.focus);
            spec.excerptSeconds = info->excerptSeconds;
            spec.seed = info->seed;
            spec.modelId = info->modelId;
        }
    } else {
        if (spec.modelId.empty()) {
            r.message = std::string("nothing is analysed under the ") + focusName(spec.focus) + " focus yet";
            return r;
        }
        SetOptions o;
        o.mode = spec.mode;
        o.focus = spec.focus;
        o.trials = request.trials;
        o.trainingTrials = request.trainingTrials;
        o.seed = spec.seed;
        const auto anchorIds = anchors(spec.focus, o.instrumentSpaces);
        if (anchorIds.size() < 3) {
            r.message = std::string("too few tracks analysed under the ") + focusName(spec.focus) +
                        " focus and its comparison space (need at least 3)";
            return r;
        }
        auto gen = generateTrials(anchorIds, [this](int64_t id, Focus s, int k) { return neighbours(id, s, k); }, o);
        trials = std::move(gen.trials);
        r.message = gen.warning;
        if (trials.empty()) {
            r.message = "no valid set could be drawn: " + gen.warning;
            return r;
        }
        // Excerpt starts, deterministic from the seed.
        std::mt19937_64 rng(spec.seed ^ 0x9e3779b97f4a7c15ull);
        auto duration = [&](int64_t id) {
            auto t = library_->track(id);
            return t ? t->duration : 0.0;
        };
        for (Trial& t : trials) {
            t.xStart = chooseExcerptStart(duration(t.anchor), spec.excerptSeconds, rng);
            t.aStart = chooseExcerptStart(duration(t.a), spec.excerptSeconds, rng);
            t.bStart = chooseExcerptStart(duration(t.b), spec.excerptSeconds, rng);
            if (t.mode == Mode::Abx) t.xStart = t.x == t.a ? t.aStart : t.bStart; // X is an exact copy
        }
    }
    r.sessionId = listeningStore_->createSession(spec, trials);
    r.trials = std::move(trials);
    return r;
}

std::string LibraryListening::playablePath(int64_t trackId, Focus focus, bool* isStem)
{
    if (isStem) *isStem = false;
    const auto t = library_->track(trackId);
    if (!t) return {};
    if (focusHasStem(focus)) {
        const std::string name = focusName(focus);
        auto stems = library_->stems(trackId);
        if (stems.find(name) == stems.end()) stems = findCorpusStems(t->path);
        if (auto it = stems.find(name); it != stems.end()) {
            std::error_code ec;
            if (std::filesystem::exists(std::filesystem::u8path(it->second), ec)) {
                if (isStem) *isStem = true;
                return it->second;
            }
        }
    }
    return t->path;
}

std::string LibraryListening::trackName(int64_t trackId)
{
    const auto t = library_->track(trackId);
    if (!t) return "track " + std::to_string(trackId);
    const std::string key = "\"title\"";
    if (auto p = t->tags.find(key); p != std::string::npos) {
        auto q = t->tags.find('"', t->tags.find(':', p) + 1);
        auto e = q == std::string::npos ? q : t->tags.find('"', q + 1);
        if (e != std::string::npos && e > q + 1) return t->tags.substr(q + 1, e - q - 1);
    }
    const auto path = std::filesystem::u8path(t->path);
    if (isCorpusMix(t->path)) return path.parent_path().filename().u8string();
    return path.stem().u8string();
}

TrialAudio LibraryListening::prepareTrial(const Trial& t, double excerptSeconds, const std::string& dir)
{
    TrialAudio out;
    std::vector<ExcerptSource> sources;
    std::vector<std::string> missing;
    for (auto [id, start] : {std::pair{t.x, t.xStart}, std::pair{t.a, t.aStart}, std::pair{t.b, t.bStart}}) {
        bool stem = false;
        const std::string path = playablePath(id, t.focus, &stem);
        if (focusHasStem(t.focus) && !stem) missing.push_back(trackName(id));
        sources.push_back({path, start});
    }
    if (!missing.empty()) {
        out.note = std::string("no ") + focusName(t.focus) + " stem for ";
        for (size_t i = 0; i < missing.size(); ++i) out.note += (i ? ", " : "") + missing[i];
        out.note += ": playing the mix";
    }
    ExcerptOptions o;
    o.lengthSeconds = excerptSeconds;
    const std::string prefix = "trial" + std::to_string(t.index) + "-";
    const auto e = prepareExcerpts(*defaultAudioDecoder(), sources, {prefix + "x", prefix + "a", prefix + "b"}, dir, o);
    out.x = e[0].file;
    out.a = e[1].file;
    out.b = e[2].file;
    return out;
}

}  // namespace stemscope::listening
