#pragma once
// The main window: browse a library by instrument. Library table (left dock) with filter,
// focus selector (toolbar, Ctrl+1..5), neighbour list (right dock), central tabs for the t-SNE
// map, the distance heatmap and a two-focus comparison, a jobs dock with progress/ETA/cancel.
// All heavy work runs off the GUI thread: jobs in the backend's engine, queries in a private
// QThreadPool through QFutureWatcher.
#include <QMainWindow>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

#include "LibraryBackend.h"

class QCheckBox;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;
class QTimer;

namespace stemscope {
class Player;
}

namespace stemscope::ui {

class FocusComparison;
class FocusSelector;
class HeatmapWidget;
class JobsPanel;
class ListeningTestPanel;
class TrainingWizard;
class MapView;
class NeighbourList;
class TrackFilterProxy;
class TrackTableModel;
class TransportBar;

struct MainWindowOptions {
    QString libraryPath;        // empty: the one from QSettings (default ~/.local/share/Stemscope/library.sqlite)
    bool restoreGeometry = true;
    bool firstRunDemo = true;   // an empty library gets the demo songs
    bool openOnStart = true;    // open the library right after the window is shown
    bool persistSettings = true; // write geometry/state on close
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<LibraryBackend> backend = {}, MainWindowOptions options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens the library the options/settings name and starts the demo if it is empty.
    void start();
    bool openLibrary(const QString& path);

    // Accessors for tests and the screenshot mode.
    LibraryBackend* backend() const { return backend_.get(); }
    FocusSelector* focusSelector() const { return focus_; }
    MapView* mapView() const { return map_; }
    HeatmapWidget* heatmap() const { return heatmap_; }
    NeighbourList* neighbourList() const { return neighbours_; }
    FocusComparison* comparison() const { return compare_; }
    JobsPanel* jobsPanel() const { return jobs_; }
    TrackTableModel* trackModel() const { return tracks_; }
    QTableView* trackView() const { return trackView_; }
    QLineEdit* filterEdit() const { return filter_; }
    QTabWidget* tabs() const { return tabs_; }
    QDockWidget* neighbourDock() const { return neighbourDock_; }
    TransportBar* transport() const { return transport_; }
    // Ids of the selected library rows, in view order (the heatmap shows these when 2 or more).
    QVector<qint64> selectedTrackIds() const;
    bool selectTracks(const QVector<qint64>& ids); // selects several rows; the first becomes the query
    ListeningTestPanel* listeningPanel() const { return listening_; }
    void showListeningTest(); // Tools > Listening Test (Ctrl+L)
    void showTrainingWizard(); // Tools > Train a Model… (Ctrl+T), non-modal
    TrainingWizard* trainingWizard() const; // the open wizard, or null
    Player* player() const { return player_.get(); }
    QString currentFocus() const;
    qint64 currentTrack() const { return currentTrack_; }
    bool selectTrack(qint64 id);
    void showTrackMenu(const QPoint& pos); // the library table's context menu, at a viewport position
    QString lastError() const { return lastError_; }
    bool isIdle() const; // no running job and no pending query
    bool waitUntilIdle(int timeoutMs);

    void addPaths(const QStringList& paths);
    // Hide same artist / same album / tags in the neighbour lists (the dock's filter row).
    void setNeighbourFilter(const NeighbourFilter& filter);
    NeighbourFilter neighbourFilter() const;
    // The library selection (2 or more tracks), else the query and its neighbour list, as a
    // playlist (M3U8 or XSPF by the extension). File > Export Playlist… asks for the file.
    bool exportPlaylistTo(const QString& path, QString* error);
    // File > Export Stems…: the current track's stems (empty: all) as FLAC into `folder` (a job).
    quint64 exportStemsTo(const QStringList& stems, const QString& folder, QString* error);
    void togglePlayback();
    // Plays a track under a focus (its stem, else the mix): the whole file from startSeconds, or
    // lengthSeconds of it. Reports failures (no audio device) in the status bar and the transport.
    // A stem not separated yet is separated first (an urgent job; playback starts when it ends).
    void startPlayback(qint64 trackId, const QString& focus, double startSeconds = 0.0, double lengthSeconds = 0.0,
                       const QString& note = {}, bool maySeparate = true);
    // Finds (in the background) the neighbour's 3 s segment that matches the query and plays it.
    void playMatchingSegment(qint64 neighbourId);
    void seekBy(double seconds);
    void refreshAll();
    // Saves main.png, map.png, heatmap.png, heatmap-selection.png, neighbours.png and compare.png into `dir`.
    bool saveScreenshots(const QString& dir, QString* error);

Q_SIGNALS:
    void busyChanged(bool busy);
    // Emitted before every play attempt: what was asked for (lengthSeconds 0 = to the end).
    void playRequested(qint64 trackId, double startSeconds, double lengthSeconds, const QString& what);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    void buildDocks();
    void connectBackend();
    void reloadTracks();
    void onFocusChanged(const QString& focus);
    void onTrackSelected(qint64 id);
    void refreshNeighbours();
    void refreshComparison();
    void refreshMap();
    void refreshMapOverlay(); // the selected track's segments over the track map
    void refreshHeatmap();
    void scheduleRefresh();
    void onCurrentTabChanged();
    void addFilesDialog();
    void addFolderDialog();
    void openLibraryDialog();
    void createDemo();
    void reanalyse();
    void exportCurrent();
    void exportPlaylistDialog();
    void exportStemsDialog();
    void removeSelectedTracks(); // asks first (non-modal), then removes them from the library
    void showSettings();
    void showShortcuts();
    void showAbout();
    void playSegment(qint64 trackId, double startSeconds);
    void checkAudioOutput();
    void onPlayTick();
    void stopPlayback();
    void reportPlayerError(const std::string& error);
    void showError(const QString& title, const QString& text, bool dialog = true);
    void updateStatus();
    QString focusLabel(const QString& id) const;

    template <typename T>
    void runQuery(std::function<T()> work, std::function<void(const T&)> done, QThreadPool* pool = nullptr);

    std::unique_ptr<LibraryBackend> backend_;
    MainWindowOptions options_;
    std::unique_ptr<Player> player_;
    QThreadPool pool_;
    // The map and heatmap get their own worker: a stored picture never waits behind a neighbour
    // query that is building a focus's index (seconds on a large library).
    QThreadPool viewPool_;
    void holdListsForMap();
    void releaseLists();
    static constexpr int kListsHoldMs = 2000;
    bool listsHeld_ = false;    // neighbour/comparison queries wait for the map (after opening)
    bool listsWanted_ = false;  // ... and one was asked for meanwhile
    int pendingQueries_ = 0;

    TrackTableModel* tracks_ = nullptr;
    TrackFilterProxy* proxy_ = nullptr;
    QTableView* trackView_ = nullptr;
    QLineEdit* filter_ = nullptr;
    FocusSelector* focus_ = nullptr;
    NeighbourList* neighbours_ = nullptr;
    QCheckBox* hideArtist_ = nullptr;
    QCheckBox* hideAlbum_ = nullptr;
    QLineEdit* hideTags_ = nullptr;
    FocusComparison* compare_ = nullptr;
    MapView* map_ = nullptr;
    HeatmapWidget* heatmap_ = nullptr;
    ListeningTestPanel* listening_ = nullptr;
    QPointer<TrainingWizard> trainingWizard_;
    JobsPanel* jobs_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QComboBox* colourBy_ = nullptr;
    QComboBox* mapLevel_ = nullptr;  // map of tracks (0) or of segments (1)
    QDockWidget* libraryDock_ = nullptr;
    QDockWidget* neighbourDock_ = nullptr;
    QDockWidget* jobsDock_ = nullptr;
    QLabel* libraryLabel_ = nullptr;
    QLabel* playerLabel_ = nullptr;
    QTimer* refreshTimer_ = nullptr;
    QAction* playAction_ = nullptr;
    TransportBar* transport_ = nullptr;
    QTimer* playTimer_ = nullptr;
    QTimer* selectionTimer_ = nullptr;
    QString nowPlaying_;
    qint64 nowPlayingTrack_ = -1;
    // A playback waiting for its track's stems to be separated (track -1: none).
    struct PendingPlay {
        qint64 track = -1;
        QString focus, note;
        double start = 0, length = 0;
    } pendingPlay_;
    double queryAnchor_ = -1; // the query's moment picked on the map (-1: none, match over the whole track)

    qint64 currentTrack_ = -1;
    quint64 neighbourGen_ = 0, compareGen_ = 0, mapGen_ = 0, overlayGen_ = 0, heatGen_ = 0, matchGen_ = 0;
    std::shared_ptr<std::atomic<bool>> mapCancel_;
    QString mapShown_; // the focus whose track map is drawn ("" = none, or a segment map)
    QString overlayKey_; // focus|track of the segment overlay last asked for
    QString mapFocus_, heatFocus_; // what the map/heatmap currently show ("" = stale); heatFocus_ includes the selection
    QString lastError_;
    bool demoOffered_ = false;
    bool layoutRestored_ = false; // dock sizes came from QSettings: leave them alone on first show
    bool shownOnce_ = false;
};

}  // namespace stemscope::ui
