#pragma once
// Focus selector: Mix, Drums, Bass, Piano, Guitar, Style (tags), plus any extra model names (e.g. a
// model the user trained). Exposes one exclusive, checkable QAction per focus so the same choice can
// live in a toolbar, a menu and keyboard shortcuts (the main window gives the built-ins Ctrl+1..6).
#include <QActionGroup>
#include <QStringList>
#include <QWidget>

class QHBoxLayout;

namespace stemscope::ui {

class FocusSelector : public QWidget {
    Q_OBJECT
public:
    explicit FocusSelector(QWidget* parent = nullptr);

    static QStringList builtinFocuses();           // "mix", "drums", "bass", "piano", "guitar", "style"
    static QStringList instrumentFocuses();        // the first five (the listening test's)
    static QString displayName(const QString& id); // "Drums", "Style (tags)"; extra names as given
    static bool hasStem(const QString& id);        // an instrument focus (played from its stem)

    void setExtraFocuses(const QStringList& ids);  // replaces previous extras; duplicates ignored
    QStringList focuses() const;                   // built-ins then extras
    QStringList labels() const;
    QString currentFocus() const;
    bool setCurrentFocus(const QString& id);       // false if unknown
    QList<QAction*> actions() const { return group_->actions(); }
    QAction* actionFor(const QString& id) const;

Q_SIGNALS:
    void focusChanged(const QString& id);

private:
    QAction* addFocus(const QString& id);
    void rebuildButtons();
    QActionGroup* group_;
    QHBoxLayout* layout_;
    QStringList extras_;
    QString current_;
};

}  // namespace stemscope::ui
