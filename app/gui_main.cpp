#include <QApplication>

#include "MainWindow.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("Stemscope");
    QApplication::setOrganizationName("Stemscope");
    stemscope::ui::MainWindow window;
    window.show();
    return app.exec();
}
