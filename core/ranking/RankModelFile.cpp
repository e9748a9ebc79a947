#include "ranking/RankModelFile.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <map>
#include <stdexcept>

namespace stemscope {

std::string rankMethodName(const RankModelInfo& info)
{
    const std::string pooling = std::string(" (") + poolingName(info.net.pooling) + ")";
    const int ran = info.stepsRun >= 0 ? info.stepsRun : info.steps;  // older files: the kept steps
    if (ran == 0) return "untrained network" + pooling;
    return info.mode == "at" ? "AT baseline" + pooling : "TL " + info.mining + pooling;
}

void saveRankModel(const std::string& path, const RankModelInfo& i, const RankNet& net)
{
    std::ofstream o(path, std::ios::binary);
    if (!o) throw std::runtime_error("cannot write " + path);
    o << "stemscope-rank-model 1\n"
      << "mode " << i.mode << "\nmining " << i.mining << "\nfocus " << i.focus << "\noracle " << i.oracle << "\n"
      << "bins " << i.net.bins << "\nframes " << i.net.frames << "\nwidth " << i.net.width << "\ndim " << i.net.dim
      << "\noutputs " << i.net.outputs << "\npooling " << poolingName(i.net.pooling) << "\n"
      << "train_seconds " << i.trainSeconds << "\nsteps " << i.steps << "\nsteps_run " << i.stepsRun << "\ntrain_tracks " << i.trainTracks << "\n"
      << "vocab " << i.vocabulary.size() << "\n";
    for (const auto& t : i.vocabulary) o << t << "\n";
    o << "end\n";
    net.save(o);
    if (!o) throw std::runtime_error("cannot write " + path);
}

std::unique_ptr<RankNet> loadRankModel(const std::string& path, RankModelInfo& info)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    if (!std::getline(in, line) || line != "stemscope-rank-model 1")
        throw std::runtime_error(path + ": not a stemscope ranking model");
    std::map<std::string, std::string> kv;
    RankModelInfo i;
    while (std::getline(in, line) && line != "end") {
        const auto sp = line.find(' ');
        if (sp == std::string::npos) throw std::runtime_error(path + ": bad header line '" + line + "'");
        const std::string key = line.substr(0, sp), value = line.substr(sp + 1);
        if (key == "vocab") {
            const int n = std::stoi(value);
            for (int k = 0; k < n && std::getline(in, line); ++k) i.vocabulary.push_back(line);
            continue;
        }
        kv[key] = value;
    }
    if (line != "end") throw std::runtime_error(path + ": truncated header");
    auto num = [&](const char* k, double fallback) { return kv.count(k) ? std::stod(kv[k]) : fallback; };
    i.mode = kv.count("mode") ? kv["mode"] : "tl";
    i.mining = kv.count("mining") ? kv["mining"] : "-";
    i.focus = kv.count("focus") ? kv["focus"] : "mix";
    i.oracle = kv.count("oracle") ? kv["oracle"] : "all";
    i.net.bins = int(num("bins", 96));
    i.net.frames = int(num("frames", 512));
    i.net.width = int(num("width", 8));
    i.net.dim = int(num("dim", 128));
    i.net.outputs = int(num("outputs", 0));
    if (kv.count("pooling") && !poolingFromName(kv["pooling"], i.net.pooling))
        throw std::runtime_error(path + ": unknown pooling " + kv["pooling"]);
    i.trainSeconds = num("train_seconds", 0);
    i.steps = int(num("steps", 0));
    i.stepsRun = int(num("steps_run", -1));
    i.trainTracks = int(num("train_tracks", 0));
    auto net = std::make_unique<RankNet>(i.net);
    // The torch archive reader seeks to absolute offsets: hand it the archive bytes on their own.
    std::stringstream archive(std::string(std::istreambuf_iterator<char>(in), {}), std::ios::in | std::ios::binary);
    net->load(archive);
    info = std::move(i);
    return net;
}

}  // namespace stemscope
