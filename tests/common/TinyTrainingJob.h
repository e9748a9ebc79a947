#pragma once
// The smallest useful training-wizard job: bass triplets on the synthetic multitrack corpus
// (SyntheticMultitrack.h), an 8-channel network, 2 epochs; tests change what they exercise.
#include <string>

#include "training/TrainingJob.h"

namespace stemscope::test {

inline training::TrainingJob tinyTrainingJob(const std::string& corpus, const std::string& workDir)
{
    training::TrainingJob j;
    j.dataDir = corpus;
    j.focus = Focus::Bass;
    j.mining = TripletMining::Random;
    j.epochs = 2;
    j.batchSize = 8;
    j.maxSegmentsPerSong = 4;
    j.channels = {8, 8, 8, 8};
    j.dim = 16;
    j.testFraction = 0.3;
    j.workDir = workDir;
    return j;
}

}  // namespace stemscope::test
