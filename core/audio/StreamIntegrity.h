#pragma once
// Container-level integrity checks for compressed audio. JUCE's readers are lenient: a FLAC file
// cut short decodes with a zero-filled tail, a truncated Ogg Vorbis stream decodes to whatever is
// left, and the MP3 reader accepts any 32 KB that happens to contain an MPEG sync word (so random
// bytes "decode" as noise) and guesses the stream length. These checks read only the file's
// structure (frame/page headers and CRCs), never decode audio, and are what the decoder uses to
// turn such files into typed errors (docs/dsp.md, "Damaged files").
#include <cstdint>
#include <string>

namespace stemscope {

struct IntegrityResult {
    bool ok = true;
    std::string detail;          // why not, for the error message
    int64_t intactSamples = -1;  // when not ok: samples (per channel) that decode before the damage; -1 unknown
    int64_t announcedSamples = 0; // what the stream header announces (0 = unknown)
};

// WAV (RIFF/RF64) and AIFF/AIFC: byte offset of the first sample in the file (-1 if not found),
// so that "file size >= offset + announced data bytes" tells whether the data was cut short.
int64_t pcmDataOffset(const std::string& path);

// FLAC: the last frame must be complete (its CRC-16 runs to the end of the file, an ID3v1 tag
// aside) and must end exactly at STREAMINFO's total sample count (when the header states one).
// When not, intactSamples is where the last complete frame ends (the cut frame's first sample).
IntegrityResult checkFlacComplete(const std::string& path);

// Ogg: the file must end with a complete page (CRC valid) carrying the end-of-stream flag.
// When not, intactSamples is the granule position (samples decoded) of the last complete page.
IntegrityResult checkOggComplete(const std::string& path);

// MPEG audio (MP1/2/3): a run of at least 4 consecutive, mutually consistent frame headers must
// start within the first 64 KB after any ID3v2 tag; the frames are then walked to the end of the file.
struct Mp3Scan {
    bool valid = false;
    std::string detail;
    double sampleRate = 0;
    int channels = 0;
    int64_t frames = 0;        // audio frames (a Xing/Info/VBRI header frame excluded)
    int64_t totalSamples = 0;  // frames * samples per frame
    bool lastFrameCut = false; // the final frame extends past the end of the file (it is not counted)
    bool truncated = false;    // fewer frames than a Xing/Info/VBRI header announces
};
Mp3Scan scanMpegAudio(const std::string& path);

}  // namespace stemscope
