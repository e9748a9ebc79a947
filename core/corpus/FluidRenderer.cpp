#include "corpus/FluidRenderer.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

namespace stemscope::corpus {

namespace {

void quietFluidLogs()
{
    static std::once_flag once;
    std::call_once(once, [] {
        fluid_set_log_function(FLUID_WARN, nullptr, nullptr);
        fluid_set_log_function(FLUID_INFO, nullptr, nullptr);
        fluid_set_log_function(FLUID_DBG, nullptr, nullptr);
    });
}

struct SettingsDeleter { void operator()(fluid_settings_t* s) const { delete_fluid_settings(s); } };
struct SynthDeleter { void operator()(fluid_synth_t* s) const { delete_fluid_synth(s); } };

}  // namespace

RenderedStems renderWithFluidsynth(const RoutedSong& song, const std::string& soundfont, double sampleRate,
                                   double tailSeconds, double gain)
{
    quietFluidLogs();
    std::unique_ptr<fluid_settings_t, SettingsDeleter> settings(new_fluid_settings());
    if (!settings) throw CorpusError("fluidsynth: cannot create settings");
    fluid_settings_setnum(settings.get(), "synth.sample-rate", sampleRate);
    fluid_settings_setnum(settings.get(), "synth.gain", gain);
    fluid_settings_setint(settings.get(), "synth.midi-channels", 16 * kNumStemClasses);
    fluid_settings_setint(settings.get(), "synth.audio-channels", kNumStemClasses);
    fluid_settings_setint(settings.get(), "synth.audio-groups", kNumStemClasses);
    fluid_settings_setint(settings.get(), "synth.polyphony", 512);
    fluid_settings_setint(settings.get(), "synth.cpu-cores", 1);
    fluid_settings_setint(settings.get(), "synth.reverb.active", 0);
    fluid_settings_setint(settings.get(), "synth.chorus.active", 0);
    fluid_settings_setint(settings.get(), "synth.dynamic-sample-loading", 1);
    std::unique_ptr<fluid_synth_t, SynthDeleter> synth(new_fluid_synth(settings.get()));
    if (!synth) throw CorpusError("fluidsynth: cannot create a synthesizer");
    fluid_synth_t* s = synth.get();
    const int sfid = fluid_synth_sfload(s, soundfont.c_str(), 0);
    if (sfid == FLUID_FAILED) throw CorpusError("fluidsynth: cannot load soundfont " + soundfont);

    RenderedStems out;
    out.sampleRate = sampleRate;
    std::vector<int> chanOf(song.tracks.size());
    for (int c = 0; c < 16 * kNumStemClasses; ++c) fluid_synth_set_channel_type(s, c, CHANNEL_TYPE_MELODIC);
    for (size_t i = 0; i < song.tracks.size(); ++i) {
        const auto& t = song.tracks[i];
        const int chan = kNumStemClasses * t.voice + int(t.cls);
        chanOf[i] = chan;
        if (t.cls == StemClass::Drums) {
            fluid_synth_set_channel_type(s, chan, CHANNEL_TYPE_DRUM);
            int kit = t.program;
            if (fluid_synth_program_select(s, chan, sfid, 128, unsigned(kit)) != FLUID_OK) {
                kit = 0;
                if (fluid_synth_program_select(s, chan, sfid, 128, 0) != FLUID_OK)
                    throw CorpusError("fluidsynth: no drum kit in " + soundfont);
            }
            out.drumKitUsed = kit;
        } else if (fluid_synth_program_select(s, chan, sfid, 0, unsigned(std::max(0, t.program))) != FLUID_OK) {
            throw CorpusError("fluidsynth: program " + std::to_string(t.program) + " missing in " + soundfont);
        }
    }

    const int64_t total = int64_t(std::ceil((song.endSeconds + tailSeconds) * sampleRate));
    for (auto& st : out.stems) st.assign(size_t(std::max<int64_t>(0, total)), 0.0f);
    constexpr int kBlock = 4096;
    std::vector<float> buffers(size_t(2 * kNumStemClasses * kBlock));
    std::array<float*, 2 * kNumStemClasses> outs{};
    int64_t pos = 0;
    auto renderTo = [&](int64_t until) {
        until = std::min(until, total);
        while (pos < until) {
            const int n = int(std::min<int64_t>(kBlock, until - pos));
            std::fill(buffers.begin(), buffers.end(), 0.0f);
            for (int k = 0; k < 2 * kNumStemClasses; ++k) outs[size_t(k)] = buffers.data() + size_t(k) * kBlock;
            if (fluid_synth_process(s, n, 0, nullptr, 2 * kNumStemClasses, outs.data()) != FLUID_OK)
                throw CorpusError("fluidsynth: render failed");
            for (int c = 0; c < kNumStemClasses; ++c) {
                const float* l = outs[size_t(2 * c)];
                const float* r = outs[size_t(2 * c + 1)];
                float* dst = out.stems[size_t(c)].data() + pos;
                for (int i = 0; i < n; ++i) dst[i] = 0.5f * (l[i] + r[i]);
            }
            pos += n;
        }
    };
    for (const auto& e : song.events) {
        renderTo(int64_t(std::llround(e.seconds * sampleRate)));
        const int chan = chanOf[size_t(e.route)];
        switch (e.status & 0xF0) {
        case 0x80: fluid_synth_noteoff(s, chan, e.data1); break;
        case 0x90:
            if (e.data2 == 0) fluid_synth_noteoff(s, chan, e.data1);
            else fluid_synth_noteon(s, chan, e.data1, e.data2);
            break;
        case 0xA0: fluid_synth_key_pressure(s, chan, e.data1, e.data2); break;
        case 0xB0: fluid_synth_cc(s, chan, e.data1, e.data2); break;
        case 0xD0: fluid_synth_channel_pressure(s, chan, e.data1); break;
        case 0xE0: fluid_synth_pitch_bend(s, chan, e.data1 | (e.data2 << 7)); break;
        default: break;
        }
    }
    renderTo(total);
    return out;
}

}  // namespace stemscope::corpus
