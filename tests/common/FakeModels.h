#pragma once
// Installs stand-in focus models for a test: <dir>/models/<focus>/ folders (so the registry finds
// a model for those focuses), $STEMSCOPE_MODELS pointing there, and an embedder factory that
// makes `make(focus)` instead of loading LibTorch files.
#include <QDir>
#include <QString>

#include <functional>
#include <initializer_list>
#include <memory>

#include "analysis/EmbedderRegistry.h"

namespace stemscope::test {

inline bool installFakeModels(const QString& dir, std::initializer_list<Focus> focuses,
                              std::function<std::shared_ptr<const Embedder>(Focus)> make)
{
    for (Focus f : focuses)
        if (!QDir(dir).mkpath(QStringLiteral("models/") + QString::fromLatin1(focusName(f)))) return false;
    qputenv("STEMSCOPE_MODELS", QDir(dir).filePath(QStringLiteral("models")).toUtf8());
    setEmbedderFactory([make](Focus f, const std::string&) { return make(f); });
    return true;
}

}  // namespace stemscope::test
