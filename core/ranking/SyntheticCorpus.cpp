#include "ranking/SyntheticCorpus.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "audio/AudioDecoder.h"

namespace stemscope {
namespace {
constexpr double kPi = 3.14159265358979323846;

struct Style {
    const char* family;
    bool minor;
    std::vector<int> progression; // scale degrees (semitones from the tonic) per bar
    std::vector<int> bassPrograms, pianoPrograms, guitarPrograms;
};

const std::vector<Style>& styles()
{
    static const std::vector<Style> s{
        {"rock", false, {0, 5, 7, 5}, {33, 34}, {0, 1}, {29, 30}},
        {"jazz", true, {2, 7, 0, 9}, {32, 33}, {0, 4}, {26, 27}},
        {"funk", true, {0, 0, 5, 3}, {36, 37}, {4, 7}, {27, 28}},
        {"pop", false, {0, 7, 9, 5}, {33, 38}, {0, 2}, {24, 25}},
    };
    return s;
}
const char* kGrooves[] = {"straight", "shuffle", "halftime", "fourfloor"};
const char* kKeys[] = {"C major", "D minor", "E minor", "F major", "G major", "A minor", "Bb major"};
const char* kFonts[] = {"bright.sf2", "warm.sf2"};
const int kTonics[] = {0, 2, 4, 5, 7, 9, 10};

double midiHz(double m) { return 440.0 * std::pow(2.0, (m - 69.0) / 12.0); }

// Harmonic tone: `harmonics` partials with 1/k^tilt amplitudes and an exponential decay.
void addTone(std::vector<float>& x, double sr, double t0, double dur, double hz, double amp, int harmonics,
             double tilt, double decay, double detune)
{
    const size_t a = size_t(t0 * sr), n = size_t(dur * sr);
    for (size_t i = 0; i < n && a + i < x.size(); ++i) {
        const double t = double(i) / sr;
        const double env = std::exp(-decay * t) * std::min(1.0, t * 200.0) * std::min(1.0, (dur - t) * 50.0);
        double v = 0;
        for (int k = 1; k <= harmonics; ++k) {
            const double f = hz * k * (1.0 + detune * (k % 2 ? 1 : -1));
            if (f > sr * 0.45) break;
            v += std::sin(2 * kPi * f * t) / std::pow(double(k), tilt);
        }
        x[a + i] += float(amp * env * v);
    }
}

void addNoiseHit(std::vector<float>& x, double sr, double t0, double dur, double amp, double decay, double lowpass,
                 std::mt19937_64& rng)
{
    std::normal_distribution<double> g(0, 1);
    const size_t a = size_t(t0 * sr), n = size_t(dur * sr);
    double y = 0;
    for (size_t i = 0; i < n && a + i < x.size(); ++i) {
        y += lowpass * (g(rng) - y);
        x[a + i] += float(amp * std::exp(-decay * double(i) / sr) * y);
    }
}

void addKick(std::vector<float>& x, double sr, double t0, double amp)
{
    const size_t a = size_t(t0 * sr), n = size_t(0.25 * sr);
    double phase = 0;
    for (size_t i = 0; i < n && a + i < x.size(); ++i) {
        const double t = double(i) / sr;
        phase += 2 * kPi * (50.0 + 100.0 * std::exp(-t * 30.0)) / sr;
        x[a + i] += float(amp * std::exp(-t * 12.0) * std::sin(phase));
    }
}

}  // namespace

int writeSyntheticRankCorpus(const std::string& dir, const SyntheticCorpusConfig& c)
{
    namespace fs = std::filesystem;
    std::mt19937_64 rng(c.seed);
    const double sr = c.sampleRate;
    const size_t n = size_t(c.seconds * sr);
    for (int s = 0; s < c.songs; ++s) {
        const Style& st = styles()[rng() % styles().size()];
        const int groove = int(rng() % 4);
        const int keyIdx = int(rng() % 7);
        const int fontIdx = int(rng() % 2);
        const double bpm = 70.0 + double(rng() % 100);
        const int bassProg = st.bassPrograms[rng() % st.bassPrograms.size()];
        const int pianoProg = st.pianoPrograms[rng() % st.pianoPrograms.size()];
        const int guitarProg = st.guitarPrograms[rng() % st.guitarPrograms.size()];
        const bool bright = fontIdx == 0;
        const double tilt = bright ? 0.8 : 1.6, detune = bright ? 0.002 : 0.0;
        const int tonic = kTonics[keyIdx] + 36;
        const bool minor = std::string(kKeys[keyIdx]).find("minor") != std::string::npos;
        std::vector<float> drums(n, 0.f), bass(n, 0.f), piano(n, 0.f), guitar(n, 0.f), other(n, 0.f);

        const double beat = 60.0 / bpm, bar = 4 * beat;
        for (int b = 0; b * bar < c.seconds; ++b) {
            const double t0 = b * bar;
            const int root = tonic + st.progression[size_t(b) % st.progression.size()];
            // Drums: kick / snare / hats by groove.
            for (int q = 0; q < 16; ++q) {
                double t = t0 + q * beat / 4;
                if (groove == 1 && q % 2 == 1) t += beat / 12; // shuffle: late off-beats
                const bool kick = groove == 3 ? q % 4 == 0 : groove == 2 ? q == 0 || q == 10 : q == 0 || q == 8 || q == 6;
                const bool snare = groove == 2 ? q == 8 : q == 4 || q == 12;
                const bool hat = groove == 2 ? q % 4 == 2 : q % 2 == 0;
                if (kick) addKick(drums, sr, t, 0.6);
                if (snare) addNoiseHit(drums, sr, t, 0.2, 0.35, 18.0, 0.5, rng);
                if (hat) addNoiseHit(drums, sr, t, 0.06, 0.12, 60.0, 0.95, rng);
            }
            // Bass: root notes; program -> waveform (harmonic count) and note length.
            const int bassH = bassProg % 2 ? 8 : 3;
            for (int q = 0; q < 4; ++q)
                addTone(bass, sr, t0 + q * beat, beat * (bassProg >= 36 ? 0.4 : 0.9), midiHz(root + (q == 2 ? 7 : 0)),
                        0.3, bassH, tilt, 3.0, detune);
            // Piano: chords on beats 1 and 3; program -> brightness and decay.
            const int third = (minor || st.minor) ? 3 : 4;
            for (int q : {0, 2})
                for (int iv : {0, third, 7})
                    addTone(piano, sr, t0 + q * beat, beat * 2, midiHz(root + 24 + iv), 0.12, pianoProg >= 4 ? 10 : 5,
                            tilt, pianoProg >= 4 ? 1.5 : 4.0, detune);
            // Guitar: arpeggio in eighths; program -> pattern and harmonic richness.
            const int pattern[4] = {0, 7, 12, third + 12};
            for (int q = 0; q < 8; ++q)
                addTone(guitar, sr, t0 + q * beat / 2, beat / 2, midiHz(root + 12 + pattern[(q * (guitarProg % 3 + 1)) % 4]),
                        0.1, guitarProg >= 28 ? 14 : 6, tilt, 6.0, detune);
            // Other: a sustained pad on the root fifth.
            addTone(other, sr, t0, bar, midiHz(root + 19), 0.05, 4, 2.0, 0.3, detune);
        }
        std::vector<float> mix(n, 0.f);
        for (size_t i = 0; i < n; ++i) mix[i] = 0.7f * (drums[i] + bass[i] + piano[i] + guitar[i] + other[i]);
        float peak = 1e-9f;
        for (float v : mix) peak = std::max(peak, std::abs(v));
        const float g = peak > 0.95f ? 0.95f / peak : 1.f;
        char name[64];
        std::snprintf(name, sizeof name, "%s%03d", c.namePrefix.c_str(), s);
        const fs::path d = fs::path(dir) / name;
        fs::create_directories(d);
        auto write = [&](const char* stem, std::vector<float> x) {
            for (float& v : x) v = std::max(-1.f, std::min(1.f, v * g));
            writeAudio((d / (std::string(stem) + ".flac")).string(), {x}, sr, 16);
        };
        write("mix", mix);
        write("drums", drums);
        write("bass", bass);
        write("piano", piano);
        write("guitar", guitar);
        write("other", other);
        std::ofstream meta(d / "meta.json");
        meta << "{\n  \"style_family\": \"" << st.family << "\",\n  \"groove\": \"" << kGrooves[groove]
             << "\",\n  \"tempo\": " << bpm << ",\n  \"key\": \"" << kKeys[keyIdx] << "\",\n  \"programs\": {\"drums\": 0, \"bass\": "
             << bassProg << ", \"piano\": " << pianoProg << ", \"guitar\": " << guitarProg << ", \"other\": 89},\n"
             << "  \"soundfont\": \"" << kFonts[fontIdx] << "\",\n  \"synthetic\": \"stemscope additive stand-in\"\n}\n";
    }
    return c.songs;
}

}  // namespace stemscope
