#pragma once
// Preferences, stored with QSettings: library file, analysis threads, silence threshold.
#include <QDialog>
#include <QString>

class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace stemscope::ui {

struct AppSettings {
    QString libraryPath;
    int analysisThreads = 0;   // 0 = automatic (one per core)
    double silenceDb = -60.0;

    static QString defaultLibraryPath(); // ~/.local/share/Stemscope/library.sqlite
    static AppSettings load();           // QSettings, with defaults for anything missing
    void save() const;
};

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const AppSettings& current, QWidget* parent = nullptr);
    AppSettings settings() const;

    void accept() override; // validates; keeps the dialog open with a message on bad input

private:
    QLineEdit* libraryPath_;
    QSpinBox* threads_;
    QDoubleSpinBox* silence_;
};

}  // namespace stemscope::ui
