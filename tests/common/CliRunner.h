#pragma once
// Runs the built stemscope-cli (STEMSCOPE_CLI, set by tests/CMakeLists.txt) and returns its stdout
// followed by its stderr; *rc gets the exit code (unset when the process does not finish in time).
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace stemscope::test {

inline QString runCli(const QStringList& args, int* rc, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                      int timeoutMs = 300000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(STEMSCOPE_CLI), args);
    if (!p.waitForFinished(timeoutMs)) return {};
    if (rc) *rc = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput()) + QString::fromUtf8(p.readAllStandardError());
}

}  // namespace stemscope::test
