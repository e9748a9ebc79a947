#pragma once
#include <QMainWindow>

class QLabel;

namespace stemscope::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

private:
    void openAudioFile();
    QLabel* status_ = nullptr;
};

}  // namespace stemscope::ui
