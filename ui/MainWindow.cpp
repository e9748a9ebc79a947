#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QPointer>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>

#include "ListeningTestPanel.h"
#include "TrainingWizard.h"
#include "SettingsDialog.h"
#include "audio/Player.h"
#include "widgets/FocusSelector.h"
#include "widgets/HeatmapWidget.h"
#include "widgets/JobsPanel.h"
#include "widgets/MapView.h"
#include "widgets/NeighbourList.h"
#include "widgets/TrackTableModel.h"
#include "widgets/TransportBar.h"

namespace stemscope::ui {

namespace {
constexpr int kNeighbourCount = 25;
constexpr int kCompareCount = 10; // short lists: their overlap is what the comparison is about
constexpr int kHeatmapMaxTracks = 400;
constexpr const char* kAudioFilter = "Audio (*.wav *.wave *.aif *.aiff *.flac *.ogg *.oga *.mp3);;All files (*)";
}  // namespace

MainWindow::MainWindow(std::unique_ptr<LibraryBackend> backend, MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent), backend_(std::move(backend)), options_(std::move(options)), player_(createPlayer())
{
    qRegisterMetaType<stemscope::ui::JobsPanel::Outcome>("stemscope::ui::JobsPanel::Outcome");
    if (!backend_) backend_ = createDefaultBackend();
    pool_.setMaxThreadCount(2);
    viewPool_.setMaxThreadCount(1);
    setWindowTitle(tr("Stemscope"));
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    resize(1280, 800);

    tracks_ = new TrackTableModel(this);
    tracks_->setFocuses(backend_->focuses());
    proxy_ = new TrackFilterProxy(this);
    proxy_->setSourceModel(tracks_);

    // Central tabs: map, heatmap, comparison.
    tabs_ = new QTabWidget(this);
    tabs_->setDocumentMode(true);
    auto* mapPage = new QWidget(tabs_);
    auto* mapLayout = new QVBoxLayout(mapPage);
    mapLayout->setContentsMargins(2, 2, 2, 2);
    map_ = new MapView(mapPage);
    mapLayout->addWidget(map_);
    tabs_->addTab(mapPage, tr("Map"));
    tabs_->setTabToolTip(0, tr("t-SNE map of the analysed tracks (or segments, Ctrl+M) under the current focus"));
    heatmap_ = new HeatmapWidget(tabs_);
    heatmap_->setValueLabel(tr("cosine distance"));
    tabs_->addTab(heatmap_, tr("Heatmap"));
    tabs_->setTabToolTip(1, tr("Track-to-track distances under the current focus, clustered"));
    compare_ = new FocusComparison(tabs_);
    tabs_->addTab(compare_, tr("Compare focuses"));
    tabs_->setTabToolTip(2, tr("Neighbours of the selected track under two focuses side by side"));
    listening_ = new ListeningTestPanel(backend_.get(), player_.get(), tabs_);
    tabs_->addTab(listening_, tr("Listening test"));
    tabs_->setTabToolTip(3, tr("A/B/X listening test of the focus models with real listeners (Ctrl+L)"));
    setCentralWidget(tabs_);

    focus_ = new FocusSelector(this);
    focus_->setExtraFocuses(backend_->focuses().mid(FocusSelector::builtinFocuses().size()));
    compare_->setFocuses(focus_->focuses(), focus_->labels());

    buildDocks();
    buildActions();
    connectBackend();

    libraryLabel_ = new QLabel(this);
    playerLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(playerLabel_);
    statusBar()->addPermanentWidget(libraryLabel_);
    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(1200);
    connect(refreshTimer_, &QTimer::timeout, this, &MainWindow::refreshAll);
    // A changed library selection re-draws the heatmap (when it is shown) a moment later.
    selectionTimer_ = new QTimer(this);
    selectionTimer_->setSingleShot(true);
    selectionTimer_->setInterval(250);
    connect(selectionTimer_, &QTimer::timeout, this, &MainWindow::onCurrentTabChanged);
    playTimer_ = new QTimer(this);
    playTimer_->setInterval(200);
    connect(playTimer_, &QTimer::timeout, this, &MainWindow::onPlayTick);
    QTimer::singleShot(0, this, &MainWindow::checkAudioOutput);

    if (options_.restoreGeometry) {
        QSettings s;
        restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
        layoutRestored_ = restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    }
    updateStatus();
    statusBar()->showMessage(tr("Ready. Add music with Ctrl+O (files) or Ctrl+Shift+O (a folder), or drop files here."), 8000);
    if (options_.openOnStart) QTimer::singleShot(0, this, &MainWindow::start);
}

MainWindow::~MainWindow()
{
    listening_->detachPlayer(); // player_ dies before the child widgets
    if (mapCancel_) mapCancel_->store(true);
    backend_->cancelQueries();  // an index build of a large library would hold the close for minutes
    pool_.waitForDone();
    viewPool_.waitForDone();
}

void MainWindow::buildDocks()
{
    // Library table + filter.
    auto* libPage = new QWidget(this);
    auto* libLayout = new QVBoxLayout(libPage);
    libLayout->setContentsMargins(4, 4, 4, 4);
    filter_ = new QLineEdit(libPage);
    filter_->setPlaceholderText(tr("Filter by title, artist, tag or file name (Ctrl+F)"));
    filter_->setClearButtonEnabled(true);
    connect(filter_, &QLineEdit::textChanged, proxy_, &TrackFilterProxy::setFilterText);
    trackView_ = new QTableView(libPage);
    trackView_->setObjectName(QStringLiteral("trackView"));
    trackView_->setModel(proxy_);
    trackView_->setSortingEnabled(true);
    trackView_->sortByColumn(TrackTableModel::Title, Qt::AscendingOrder);
    trackView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    trackView_->setSelectionMode(QAbstractItemView::ExtendedSelection); // Ctrl/Shift+click: several tracks for the heatmap
    trackView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    trackView_->setAlternatingRowColors(true);
    trackView_->setWordWrap(false);
    trackView_->verticalHeader()->hide();
    trackView_->verticalHeader()->setDefaultSectionSize(trackView_->fontMetrics().height() + 6);
    trackView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    trackView_->horizontalHeader()->setStretchLastSection(false);
    trackView_->setColumnWidth(TrackTableModel::Title, 150);
    trackView_->setColumnWidth(TrackTableModel::Artist, 90);
    trackView_->setColumnWidth(TrackTableModel::Duration, 52);
    trackView_->setColumnWidth(TrackTableModel::Tags, 70);
    for (int c = TrackTableModel::FirstFocus; c < tracks_->columnCount(); ++c) trackView_->setColumnWidth(c, 46);
    trackView_->setToolTip(tr("Your library. Select a track to see its neighbours; Space plays it. Select 2 or more "
                              "(Ctrl/Shift+click) to see just those in the heatmap."));
    connect(trackView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        if (i.isValid()) onTrackSelected(i.data(TrackTableModel::TrackIdRole).toLongLong());
    });
    connect(trackView_, &QTableView::activated, this, [this](const QModelIndex&) { togglePlayback(); });
    trackView_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(trackView_, &QWidget::customContextMenuRequested, this, &MainWindow::showTrackMenu);
    connect(trackView_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (tabs_->currentIndex() == 1) selectionTimer_->start();
    });
    libLayout->addWidget(filter_);
    libLayout->addWidget(trackView_, 1);
    libraryDock_ = new QDockWidget(tr("Library"), this);
    libraryDock_->setObjectName(QStringLiteral("libraryDock"));
    libraryDock_->setWidget(libPage);
    addDockWidget(Qt::LeftDockWidgetArea, libraryDock_);

    neighbours_ = new NeighbourList(this);
    neighbours_->setObjectName(QStringLiteral("neighbourList"));
    connect(neighbours_, &NeighbourList::trackActivated, this, [this](qint64 id) { selectTrack(id); });
    connect(neighbours_, &NeighbourList::segmentPlayRequested, this, &MainWindow::playMatchingSegment);
    connect(neighbours_, &NeighbourList::trackPlayRequested, this,
            [this](qint64 id) { startPlayback(id, QStringLiteral("mix")); });
    connect(neighbours_, &NeighbourList::stemPlayRequested, this, [this](qint64 id) { startPlayback(id, currentFocus()); });
    connect(neighbours_, &NeighbourList::exportPlaylistRequested, this, &MainWindow::exportPlaylistDialog);
    // Exclusions, as music apps offer them: the same artist, the same album, tags.
    auto* neighbourPage = new QWidget(this);
    auto* nLayout = new QVBoxLayout(neighbourPage);
    nLayout->setContentsMargins(0, 0, 0, 0);
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Hide:"), neighbourPage));
    hideArtist_ = new QCheckBox(tr("same artist"), neighbourPage);
    hideArtist_->setObjectName(QStringLiteral("hideSameArtist"));
    hideAlbum_ = new QCheckBox(tr("same album"), neighbourPage);
    hideAlbum_->setObjectName(QStringLiteral("hideSameAlbum"));
    hideTags_ = new QLineEdit(neighbourPage);
    hideTags_->setObjectName(QStringLiteral("hideTags"));
    hideTags_->setPlaceholderText(tr("e.g. live, demo (comma-separated)"));
    hideTags_->setClearButtonEnabled(true);
    hideTags_->setToolTip(tr("Neighbours carrying any of these tags are left out (case does not matter)."));
    filterRow->addWidget(hideArtist_);
    filterRow->addWidget(hideAlbum_);
    filterRow->addStretch(1);
    nLayout->addLayout(filterRow);
    auto* tagRow = new QHBoxLayout;  // its own row: tag lists need the width
    tagRow->addWidget(new QLabel(tr("Hide tags:"), neighbourPage));
    tagRow->addWidget(hideTags_, 1);
    nLayout->addLayout(tagRow);
    nLayout->addWidget(neighbours_, 1);
    auto applyFilter = [this] {
        backend_->setNeighbourFilter(neighbourFilter());
        refreshNeighbours();
        refreshComparison();
    };
    connect(hideArtist_, &QCheckBox::toggled, this, applyFilter);
    connect(hideAlbum_, &QCheckBox::toggled, this, applyFilter);
    connect(hideTags_, &QLineEdit::editingFinished, this, applyFilter);
    neighbourDock_ = new QDockWidget(tr("Neighbours"), this);
    neighbourDock_->setObjectName(QStringLiteral("neighbourDock"));
    neighbourDock_->setWidget(neighbourPage);
    addDockWidget(Qt::RightDockWidgetArea, neighbourDock_);

    jobs_ = new JobsPanel(this);
    connect(jobs_, &JobsPanel::cancelRequested, this, [this](quint64 id) {
        backend_->cancel(id);
        statusBar()->showMessage(tr("Cancelling… work already saved is kept."), 4000);
    });
    jobsDock_ = new QDockWidget(tr("Jobs"), this);
    jobsDock_->setObjectName(QStringLiteral("jobsDock"));
    jobsDock_->setWidget(jobs_);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock_);
    resizeDocks({libraryDock_, neighbourDock_}, {500, 310}, Qt::Horizontal);
    resizeDocks({jobsDock_}, {150}, Qt::Vertical);

    connect(map_, &MapView::pointClicked, this, [this](qint64 track, int segment, double start) {
        selectTrack(track);
        if (segment >= 0 && start >= 0) {
            queryAnchor_ = start; // the neighbours' matching segments now match this moment
            playSegment(track, start);
        }
    });
    connect(heatmap_, &HeatmapWidget::cellClicked, this, [this](int row, int) {
        const auto ids = heatmap_->property("trackIds").value<QVector<qint64>>();
        if (row >= 0 && row < ids.size()) selectTrack(ids[row]);
    });
    connect(compare_, &FocusComparison::focusesChanged, this, [this] { refreshComparison(); });
    connect(compare_, &FocusComparison::trackActivated, this, [this](qint64 id) { selectTrack(id); });
    connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::onCurrentTabChanged);
}

void MainWindow::buildActions()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* addFiles = file->addAction(tr("&Add Files…"), this, &MainWindow::addFilesDialog);
    addFiles->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    addFiles->setToolTip(tr("Add audio files to the library (Ctrl+O)"));
    addFiles->setIcon(style()->standardIcon(QStyle::SP_FileIcon));
    auto* addFolder = file->addAction(tr("Add &Folder…"), this, &MainWindow::addFolderDialog);
    addFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    addFolder->setToolTip(tr("Add every audio file in a folder and its subfolders (Ctrl+Shift+O)"));
    addFolder->setIcon(style()->standardIcon(QStyle::SP_DirIcon));
    file->addSeparator();
    file->addAction(tr("Open &Library…"), this, &MainWindow::openLibraryDialog);
    auto* rescan = file->addAction(tr("Re&scan Library Folders"), this, [this] {
        QString error;
        if (!backend_->rescanFolders(&error) && !error.isEmpty()) showError(tr("Rescan"), error);
    });
    rescan->setObjectName(QStringLiteral("rescanFolders"));
    rescan->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    rescan->setToolTip(tr("Look through every folder added before: new, changed, moved and vanished files"));
    auto* demo = file->addAction(tr("Create &Demo Library"), this, &MainWindow::createDemo);
    demo->setEnabled(backend_->canCreateDemo());
    demo->setToolTip(tr("Generate the synthetic demo songs and analyse them"));
    file->addSeparator();
    auto* exportAct = file->addAction(tr("&Export View as PNG…"), this, &MainWindow::exportCurrent);
    exportAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    auto* playlist = file->addAction(tr("Export &Playlist…"), this, &MainWindow::exportPlaylistDialog);
    playlist->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    playlist->setToolTip(tr("The selected library tracks, else the query and its neighbours, as M3U8 or XSPF"));
    auto* stemsAct = file->addAction(tr("Export S&tems…"), this, &MainWindow::exportStemsDialog);
    stemsAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    stemsAct->setToolTip(tr("Write the selected track's stems as FLAC files (separated if the library has none)"));
    // Delete works while the library table has the focus (never from the map or the lists).
    auto* removeAct = file->addAction(tr("&Remove from Library…"), this, &MainWindow::removeSelectedTracks);
    removeAct->setObjectName(QStringLiteral("removeTracks"));
    removeAct->setShortcut(QKeySequence::Delete);
    removeAct->setShortcutContext(Qt::WidgetShortcut);
    removeAct->setToolTip(tr("Take the selected tracks out of the library; their audio files stay on disk"));
    trackView_->addAction(removeAct);
    auto* settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* focusMenu = view->addMenu(tr("&Focus"));
    const auto focusActions = focus_->actions();
    for (int i = 0; i < focusActions.size(); ++i) {
        if (i < 9) focusActions[i]->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        focusActions[i]->setShortcutContext(Qt::WindowShortcut);
        focusMenu->addAction(focusActions[i]);
        addAction(focusActions[i]); // shortcuts work even when the toolbar is hidden
    }
    connect(focus_, &FocusSelector::focusChanged, this, &MainWindow::onFocusChanged);
    auto* find = view->addAction(tr("&Filter Library"), this, [this] {
        libraryDock_->show();
        libraryDock_->raise();
        filter_->setFocus(Qt::ShortcutFocusReason);
        filter_->selectAll();
    });
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    view->addSeparator();
    auto* cluster = view->addAction(tr("&Cluster Heatmap"));
    cluster->setCheckable(true);
    cluster->setChecked(true);
    cluster->setObjectName(QStringLiteral("clusterHeatmap"));
    connect(cluster, &QAction::toggled, this, [this](bool on) { on ? heatmap_->clusterOrder() : heatmap_->resetOrder(); });
    view->addAction(tr("Recompute &Map"), this, [this] {
        // The stored map is kept as new tracks arrive (placed into it); this starts it afresh.
        backend_->forgetMap(currentFocus());
        mapFocus_.clear();
        refreshMap();
    });
    // Ctrl+M flips the map between every track and a sample of segments (the combo box follows).
    auto* segmentsAct = view->addAction(tr("Map of &Segments"));
    segmentsAct->setCheckable(true);
    segmentsAct->setObjectName(QStringLiteral("mapOfSegments"));
    segmentsAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(segmentsAct, &QAction::toggled, this, [this](bool on) { mapLevel_->setCurrentIndex(on ? 1 : 0); });
    // The selected track's segments drawn over the track map (where each part of it sits).
    auto* overlayAct = view->addAction(tr("Segments of Selected &Track on Map"));
    overlayAct->setCheckable(true);
    overlayAct->setChecked(true);
    overlayAct->setObjectName(QStringLiteral("trackSegmentsOnMap"));
    overlayAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(overlayAct, &QAction::toggled, this, [this] { refreshMapOverlay(); });
    auto* resetZoom = view->addAction(tr("&Reset Map Zoom"), map_, &MapView::resetZoom);
    resetZoom->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addSeparator();
    for (auto* dock : {libraryDock_, neighbourDock_, jobsDock_}) view->addAction(dock->toggleViewAction());

    auto* analysis = menuBar()->addMenu(tr("&Analysis"));
    auto* analyse = analysis->addAction(tr("&Analyse Library"), this, [this] {
        QString error;
        if (!backend_->analyse(false, &error) && !error.isEmpty()) showError(tr("Analysis"), error);
    });
    analyse->setToolTip(tr("Analyse every track that is not analysed yet"));
    analyse->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    auto* reanalyse = analysis->addAction(tr("&Re-analyse Everything"), this, &MainWindow::reanalyse);
    reanalyse->setShortcut(QKeySequence(Qt::Key_F5));
    reanalyse->setToolTip(tr("Analyse all tracks again (F5), e.g. after changing the silence threshold"));
    analysis->addAction(tr("Cancel All &Jobs"), this, [this] {
        // JobsPanel knows which ids are active; cancel them through the backend.
        for (auto* row : jobs_->findChildren<QWidget*>(QRegularExpression(QStringLiteral("^job_\\d+$")))) {
            const quint64 id = row->objectName().mid(4).toULongLong();
            backend_->cancel(id);
        }
    });
    analysis->addAction(tr("Refresh Views"), this, &MainWindow::refreshAll);

    auto* play = menuBar()->addMenu(tr("&Playback"));
    playAction_ = play->addAction(tr("&Play / Stop"), this, &MainWindow::togglePlayback);
    playAction_->setShortcut(QKeySequence(Qt::Key_Space));
    playAction_->setShortcutContext(Qt::WindowShortcut);
    playAction_->setToolTip(tr("Play the selected track (its stem under a stem focus), or stop (Space)"));
    playAction_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play->addAction(tr("&Stop"), this, &MainWindow::stopPlayback);
    auto* back = play->addAction(tr("&Back 5 s"), this, [this] { seekBy(-5.0); });
    back->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Left));
    back->setShortcutContext(Qt::WindowShortcut);
    addAction(back);
    auto* fwd = play->addAction(tr("&Forward 5 s"), this, [this] { seekBy(5.0); });
    fwd->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    fwd->setShortcutContext(Qt::WindowShortcut);
    addAction(fwd);
    play->addSeparator();
    auto* seg = play->addAction(tr("Play &Matching Segment of the Neighbour"), this, [this] {
        const qint64 id = neighbours_->selectedTrack();
        if (id >= 0) playMatchingSegment(id);
        else statusBar()->showMessage(tr("Select a neighbour first."), 3000);
    });
    seg->setToolTip(tr("Play the selected neighbour's 3 s segment that matches the query best (Enter in the neighbour list)"));

    transport_ = new TransportBar(this);
    transport_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    connect(transport_, &TransportBar::playStopClicked, this, &MainWindow::togglePlayback);
    connect(transport_, &TransportBar::seekRequested, this, [this](double s) {
        const auto r = player_->seek(s);
        if (!r) reportPlayerError(r.error);
    });
    auto* transportBar = new QToolBar(tr("Transport"), this);
    transportBar->setObjectName(QStringLiteral("transportToolbar"));
    transportBar->setMovable(false);
    transportBar->addWidget(transport_);
    addToolBar(Qt::BottomToolBarArea, transportBar);

    auto* tools = menuBar()->addMenu(tr("&Tools"));
    auto* listen = tools->addAction(tr("&Listening Test"), this, &MainWindow::showListeningTest);
    listen->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    auto* train = tools->addAction(tr("&Train a Model…"), this, &MainWindow::showTrainingWizard);
    train->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    help->addAction(tr("&About Stemscope"), this, &MainWindow::showAbout);

    auto* tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolbar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->addAction(addFiles);
    tb->addAction(addFolder);
    tb->addAction(analyse);
    tb->addAction(playAction_);
    tb->addSeparator();
    tb->addWidget(focus_);
    tb->addSeparator();
    colourBy_ = new QComboBox(tb);
    colourBy_->addItem(tr("Colour map by track"));
    colourBy_->addItem(tr("Colour map by tag"));
    colourBy_->setToolTip(tr("How the map's points are coloured"));
    connect(colourBy_, &QComboBox::currentIndexChanged, this,
            [this](int i) { map_->setColourBy(i == 0 ? MapView::ColourBy::Track : MapView::ColourBy::Tag); });
    tb->addWidget(colourBy_);
    mapLevel_ = new QComboBox(tb);
    mapLevel_->setObjectName(QStringLiteral("mapLevel"));
    mapLevel_->addItem(tr("Map of tracks"));
    mapLevel_->addItem(tr("Map of segments"));
    mapLevel_->setToolTip(tr("One point per analysed track (the whole library), or per 3 s segment (a sample of up "
                             "to 3000, to see how a track moves through the space) · Ctrl+M"));
    connect(mapLevel_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (auto* act = findChild<QAction*>(QStringLiteral("mapOfSegments"))) {
            QSignalBlocker block(act);
            act->setChecked(i == 1);
        }
        mapFocus_.clear();
        if (tabs_->currentIndex() == 0) refreshMap();
    });
    tb->addWidget(mapLevel_);
}

void MainWindow::connectBackend()
{
    auto* b = backend_.get();
    connect(b, &LibraryBackend::jobStarted, this, [this](quint64 id, const QString& title, bool cancellable) {
        jobs_->addJob(id, title, cancellable);
        statusBar()->showMessage(tr("Started: %1").arg(title), 4000);
        Q_EMIT busyChanged(true);
    });
    connect(b, &LibraryBackend::jobProgress, jobs_, &JobsPanel::updateJob);
    connect(b, &LibraryBackend::jobFinished, this, [this](quint64 id, JobsPanel::Outcome outcome, const QString& message) {
        jobs_->finishJob(id, outcome, message);
        if (outcome == JobsPanel::Outcome::Failed) showError(tr("Background job failed"), message, false);
        else if (!message.isEmpty()) statusBar()->showMessage(message, 6000);
        if (isIdle()) Q_EMIT busyChanged(false);
    });
    connect(b, &LibraryBackend::tracksChanged, this, &MainWindow::reloadTracks);
    connect(b, &LibraryBackend::stemsReady, this, [this](const QVector<qint64>& tracks) {
        if (pendingPlay_.track < 0 || !tracks.contains(pendingPlay_.track)) return;
        const PendingPlay p = pendingPlay_;
        startPlayback(p.track, p.focus, p.start, p.length, p.note, false);  // the mix if separation failed
    });
    connect(b, &LibraryBackend::analysisChanged, this, [this] {
        mapFocus_.clear();
        heatFocus_.clear();
        scheduleRefresh();
    });
}

void MainWindow::start()
{
    const AppSettings settings = AppSettings::load();
    backend_->configure({settings.analysisThreads, settings.silenceDb});
    const QString path = options_.libraryPath.isEmpty() ? settings.libraryPath : options_.libraryPath;
    if (!openLibrary(path)) return;
    if (tracks_->rowCount() == 0 && options_.firstRunDemo && !demoOffered_ && backend_->canCreateDemo()) {
        demoOffered_ = true;
        statusBar()->showMessage(tr("Your library is empty: creating the demo songs so there is something to browse…"), 10000);
        createDemo();
    }
}

bool MainWindow::openLibrary(const QString& path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QString error;
    if (!backend_->open(path, &error)) {
        showError(tr("Cannot open library"),
                  tr("The library “%1” could not be opened:\n%2\n\nNothing was changed. Choose another file in "
                     "File ▸ Settings or File ▸ Open Library.")
                      .arg(path, error));
        return false;
    }
    tracks_->setFocuses(backend_->focuses());
    focus_->setExtraFocuses(backend_->focuses().mid(FocusSelector::builtinFocuses().size()));
    compare_->setFocuses(focus_->focuses(), focus_->labels());
    listening_->libraryChanged();
    currentTrack_ = -1;
    mapFocus_.clear();
    heatFocus_.clear();
    // On a large library the first neighbour query builds the focus's index (seconds of both
    // cores): the stored map goes first, the lists follow it (or after kListsHoldMs at the latest).
    if (tabs_->currentIndex() == 0) holdListsForMap();
    reloadTracks();
    refreshAll();
    statusBar()->showMessage(tr("Opened %1 (%2)").arg(QDir::toNativeSeparators(path), backend_->capabilities()), 6000);
    return true;
}

void MainWindow::reloadTracks()
{
    const qint64 keep = currentTrack_;
    const QVector<qint64> selected = selectedTrackIds();
    tracks_->setTracks(backend_->tracks());
    updateStatus();
    if (keep >= 0 && tracks_->rowOfId(keep) >= 0) {
        const QModelIndex src = tracks_->index(tracks_->rowOfId(keep), 0);
        const QModelIndex idx = proxy_->mapFromSource(src);
        QSignalBlocker block(trackView_->selectionModel());
        trackView_->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        for (qint64 id : selected) { // keep a multi-selection (the heatmap's) across reloads
            const int row = tracks_->rowOfId(id);
            const QModelIndex other = row >= 0 ? proxy_->mapFromSource(tracks_->index(row, 0)) : QModelIndex();
            if (other.isValid() && id != keep)
                trackView_->selectionModel()->select(other, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    } else if (currentTrack_ < 0 && proxy_->rowCount() > 0) {
        // Nothing chosen yet: the first track is as good a query as any.
        trackView_->selectionModel()->setCurrentIndex(proxy_->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
}

QString MainWindow::currentFocus() const { return focus_->currentFocus(); }

QString MainWindow::focusLabel(const QString& id) const { return FocusSelector::displayName(id); }

bool MainWindow::selectTrack(qint64 id)
{
    const int row = tracks_->rowOfId(id);
    if (row < 0) return false;
    QModelIndex idx = proxy_->mapFromSource(tracks_->index(row, 0));
    if (!idx.isValid()) { // hidden by the filter: clear it rather than select something invisible
        filter_->clear();
        idx = proxy_->mapFromSource(tracks_->index(row, 0));
    }
    trackView_->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    trackView_->scrollTo(idx);
    if (currentTrack_ != id) onTrackSelected(id);
    return true;
}

QVector<qint64> MainWindow::selectedTrackIds() const
{
    QVector<qint64> ids;
    QModelIndexList rows = trackView_->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& i : rows) ids << i.data(TrackTableModel::TrackIdRole).toLongLong();
    return ids;
}

bool MainWindow::selectTracks(const QVector<qint64>& ids)
{
    if (ids.isEmpty() || !selectTrack(ids.front())) return false;
    for (qint64 id : ids.mid(1)) {
        const int row = tracks_->rowOfId(id);
        const QModelIndex idx = row >= 0 ? proxy_->mapFromSource(tracks_->index(row, 0)) : QModelIndex();
        if (!idx.isValid()) return false;
        trackView_->selectionModel()->select(idx, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    return true;
}

void MainWindow::onTrackSelected(qint64 id)
{
    if (id == currentTrack_) return;
    currentTrack_ = id;
    queryAnchor_ = -1;
    map_->setHighlightedTrack(id);
    refreshMapOverlay();
    refreshNeighbours();
    refreshComparison();
    updateStatus();
}

void MainWindow::onFocusChanged(const QString& focus)
{
    statusBar()->showMessage(tr("Focus: %1").arg(focusLabel(focus)), 3000);
    neighbours_->setStemLabel(FocusSelector::hasStem(focus) ? focusLabel(focus) : QString());
    refreshNeighbours();
    onCurrentTabChanged();
    updateStatus();
}

template <typename T>
void MainWindow::runQuery(std::function<T()> work, std::function<void(const T&)> done, QThreadPool* pool)
{
    auto* watcher = new QFutureWatcher<T>(this);
    ++pendingQueries_;
    connect(watcher, &QFutureWatcher<T>::finished, this, [this, watcher, done] {
        --pendingQueries_;
        done(watcher->result());
        watcher->deleteLater();
        if (isIdle()) Q_EMIT busyChanged(false);
    });
    watcher->setFuture(QtConcurrent::run(pool ? pool : &pool_, [work] {
        try {
            return work();
        } catch (...) {
            return T{};
        }
    }));
}

void MainWindow::holdListsForMap()
{
    listsHeld_ = true;
    QTimer::singleShot(kListsHoldMs, this, &MainWindow::releaseLists);
}

void MainWindow::releaseLists()
{
    if (!listsHeld_) return;
    listsHeld_ = false;
    if (!listsWanted_) return;
    listsWanted_ = false;
    refreshNeighbours();
    refreshComparison();
}

void MainWindow::refreshNeighbours()
{
    if (listsHeld_) {
        listsWanted_ = true;
        return;
    }
    const qint64 track = currentTrack_;
    const QString focus = currentFocus();
    const TrackRow* row = tracks_->track(track);
    neighbours_->setQuery(row ? (row->title.isEmpty() ? QFileInfo(row->path).completeBaseName() : row->title) : QString(),
                          focusLabel(focus));
    if (!row) {
        neighbours_->model()->clear();
        neighbours_->setMessage({});
        return;
    }
    neighbours_->setMessage(tr("Searching…"));
    const quint64 gen = ++neighbourGen_;
    using Result = QPair<QVector<NeighbourRow>, QString>;
    LibraryBackend* b = backend_.get();
    runQuery<Result>(
        [b, track, focus] {
            QString message;
            auto rows = b->neighbours(track, focus, kNeighbourCount, &message);
            return Result(rows, message);
        },
        [this, gen](const Result& r) {
            if (gen != neighbourGen_) return;
            neighbours_->setNeighbours(r.first);
            if (!r.second.isEmpty()) neighbours_->setMessage(r.second);
        });
}

void MainWindow::refreshComparison()
{
    if (listsHeld_) {
        listsWanted_ = true;
        return;
    }
    const qint64 track = currentTrack_;
    const TrackRow* row = tracks_->track(track);
    compare_->setQueryTitle(row ? (row->title.isEmpty() ? QFileInfo(row->path).completeBaseName() : row->title) : QString());
    if (!row) {
        compare_->setLeft({});
        compare_->setRight({});
        return;
    }
    const QString lf = compare_->leftFocus(), rf = compare_->rightFocus();
    const quint64 gen = ++compareGen_;
    using Result = QPair<QVector<NeighbourRow>, QVector<NeighbourRow>>;
    LibraryBackend* b = backend_.get();
    runQuery<Result>(
        [b, track, lf, rf] {
            QString m;
            return Result(b->neighbours(track, lf, kCompareCount, &m), b->neighbours(track, rf, kCompareCount, &m));
        },
        [this, gen](const Result& r) {
            if (gen != compareGen_) return;
            compare_->setLeft(r.first);
            compare_->setRight(r.second);
        });
}

void MainWindow::refreshMap()
{
    const QString focus = currentFocus();
    const bool segments = mapLevel_ && mapLevel_->currentIndex() == 1;
    const auto level = segments ? LibraryBackend::MapLevel::Segments : LibraryBackend::MapLevel::Tracks;
    const QString key = focus + (segments ? QStringLiteral("|segments") : QStringLiteral("|tracks"));
    if (mapFocus_ == key) return;
    mapFocus_ = key;
    if (mapCancel_) mapCancel_->store(true);
    mapCancel_ = std::make_shared<std::atomic<bool>>(false);
    auto cancel = mapCancel_;
    const quint64 gen = ++mapGen_;
    map_->setTitle(tr("%1 · computing the map…").arg(focusLabel(focus)));
    map_->setPlaceholder(tr("Computing the %1 map…").arg(focusLabel(focus)));
    using Result = QPair<QVector<MapPoint>, QString>;
    LibraryBackend* b = backend_.get();
    runQuery<Result>(
        [self = QPointer<MainWindow>(this), label = focusLabel(focus), b, focus, level, cancel, gen] {
            QString message;
            // The share done goes to the title (queued to the GUI thread; a newer map request wins).
            auto progress = [self, gen, label](double done) {
                if (!self) return;
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, gen, label, done] {
                        if (self && gen == self->mapGen_)
                            self->map_->setTitle(tr("%1 · computing the map… %2 %").arg(label).arg(int(done * 100)));
                    },
                    Qt::QueuedConnection);
            };
            auto pts = b->mapPoints(focus, level, [cancel] { return cancel->load(); }, &message, progress);
            return Result(pts, message);
        },
        [this, gen, focus, segments](const Result& r) {
            releaseLists();
            if (gen != mapGen_) return;
            map_->setPoints(r.first);
            mapShown_ = r.first.isEmpty() || segments ? QString() : focus;
            map_->setHighlightedTrack(currentTrack_);
            const QString what = segments ? tr("%L1 segments").arg(r.first.size()) : tr("%L1 tracks").arg(r.first.size());
            map_->setTitle(r.first.isEmpty() ? QString() : tr("%1 · %2").arg(focusLabel(focus), what));
            map_->setPlaceholder(r.second.isEmpty() ? tr("Nothing analysed under this focus yet.") : r.second);
            if (r.first.isEmpty()) mapFocus_.clear(); // try again once analysis has produced something
            refreshMapOverlay();
        },
        &viewPool_);
}

void MainWindow::refreshMapOverlay()
{
    auto* act = findChild<QAction*>(QStringLiteral("trackSegmentsOnMap"));
    // Only over the drawn track map of the current focus (one still computing would not match it).
    if (!act || !act->isChecked() || currentTrack_ < 0 || mapShown_.isEmpty() || mapShown_ != currentFocus()) {
        ++overlayGen_;
        map_->setOverlay({});
        return;
    }
    // Computed when the map is looked at (the tab switch asks again), and once per track and map.
    if (tabs_->currentIndex() != 0) return;
    const QString key = mapShown_ + QLatin1Char('|') + QString::number(currentTrack_);
    if (!map_->overlay().isEmpty() && map_->overlay().front().trackId == currentTrack_ && overlayKey_ == key) return;
    overlayKey_ = key;
    const quint64 gen = ++overlayGen_;
    LibraryBackend* b = backend_.get();
    const QString focus = currentFocus();
    const qint64 track = currentTrack_;
    runQuery<QVector<MapPoint>>(
        [b, focus, track] {
            QString message;
            return b->trackSegmentsOnMap(focus, track, &message);
        },
        [this, gen](const QVector<MapPoint>& pts) {
            if (gen == overlayGen_) map_->setOverlay(pts);
        },
        &viewPool_);
}

void MainWindow::refreshHeatmap()
{
    const QString focus = currentFocus();
    // Two or more selected library rows: just those; otherwise the whole library (up to a cap).
    QVector<qint64> ids = selectedTrackIds();
    if (ids.size() < 2) ids.clear();
    if (ids.size() > kHeatmapMaxTracks) ids.resize(kHeatmapMaxTracks);
    QString key = focus;
    for (qint64 id : ids) key += QLatin1Char(',') + QString::number(id);
    if (heatFocus_ == key) return;
    heatFocus_ = key;
    const quint64 gen = ++heatGen_;
    heatmap_->setTitle(tr("%1 · computing distances…").arg(focusLabel(focus)));
    LibraryBackend* b = backend_.get();
    const bool selection = !ids.isEmpty();
    runQuery<DistanceMatrix>(
        [b, focus, ids] { return ids.isEmpty() ? b->distances(focus, kHeatmapMaxTracks) : b->distancesOf(focus, ids); },
        [this, gen, focus, selection, ids](const DistanceMatrix& m) {
            if (gen != heatGen_) return;
            if (!heatmap_->setMatrix(m.names, m.values)) heatmap_->clear();
            heatmap_->setProperty("trackIds", QVariant::fromValue(m.trackIds));
            heatmap_->setProperty("showsSelection", selection);
            const auto* cluster = findChild<QAction*>(QStringLiteral("clusterHeatmap"));
            if (!cluster || cluster->isChecked()) heatmap_->clusterOrder();
            const int n = int(m.names.size());
            QString which;
            if (selection)
                which = n == ids.size() ? tr("the %1 selected tracks").arg(n)
                                        : tr("%1 of the %2 selected tracks (the others have no analysis)").arg(n).arg(ids.size());
            else
                which = n >= kHeatmapMaxTracks ? tr("the first %1 tracks of the library").arg(n) : tr("all %1 tracks").arg(n);
            QString title = tr("%1 · %2 · average-linkage order").arg(focusLabel(focus), which);
            if (!selection) title += tr(" · Ctrl/Shift+click 2 or more tracks in the library to see just those");
            heatmap_->setTitle(n == 0 ? QString() : title);
            if (m.names.isEmpty()) heatFocus_.clear();
        },
        &viewPool_);
}

void MainWindow::onCurrentTabChanged()
{
    // The map and the heatmap are only computed when looked at.
    switch (tabs_->currentIndex()) {
    case 0:
        refreshMap();
        refreshMapOverlay();
        break;
    case 1: refreshHeatmap(); break;
    default: break;
    }
}

void MainWindow::refreshAll()
{
    // The visible tab first: its query takes a worker before the neighbour lists (whose first call
    // builds the focus's index), so a stored map shows at once on a large library.
    onCurrentTabChanged();
    refreshNeighbours();
    refreshComparison();
}

void MainWindow::scheduleRefresh() { refreshTimer_->start(); }

bool MainWindow::isIdle() const
{
    return pendingQueries_ == 0 && backend_->activeJobs() == 0 && !refreshTimer_->isActive() && !selectionTimer_->isActive() &&
           !listsHeld_;
}

bool MainWindow::waitUntilIdle(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    // Idle must hold for a moment: a finished job may queue its follow-up a little later.
    int quietSince = -1;
    while (t.elapsed() < timeoutMs) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        if (isIdle()) {
            if (quietSince < 0) quietSince = int(t.elapsed());
            if (t.elapsed() - quietSince > 700) return true;
        } else {
            quietSince = -1;
        }
        QThread::msleep(20);
    }
    return false;
}

void MainWindow::addPaths(const QStringList& paths)
{
    QStringList ok, bad;
    for (const QString& p : paths) {
        const QFileInfo info(p);
        if (info.exists() && info.isReadable()) ok << info.absoluteFilePath();
        else bad << QDir::toNativeSeparators(p);
    }
    if (!bad.isEmpty())
        showError(tr("Some items were not added"),
                  tr("These do not exist or cannot be read:\n%1").arg(bad.mid(0, 20).join(QLatin1Char('\n'))));
    if (ok.isEmpty()) return;
    QString error;
    if (!backend_->importPaths(ok, &error)) {
        showError(tr("Import"), error.isEmpty() ? tr("The import could not be started.") : error);
        return;
    }
    statusBar()->showMessage(tr("Importing %n item(s)… they are analysed right after.", nullptr, int(ok.size())), 5000);
}

void MainWindow::addFilesDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add audio files"), QString(), tr(kAudioFilter));
    if (!files.isEmpty()) addPaths(files);
}

void MainWindow::addFolderDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of music"));
    if (!dir.isEmpty()) addPaths({dir});
}

void MainWindow::openLibraryDialog()
{
    const QString p = QFileDialog::getSaveFileName(this, tr("Open or create a library"), backend_->path(),
                                                   tr("Stemscope library (*.sqlite)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (p.isEmpty()) return;
    if (openLibrary(p)) {
        AppSettings s = AppSettings::load();
        s.libraryPath = p;
        s.save();
    }
}

void MainWindow::createDemo()
{
    const QString folder = QDir(QFileInfo(backend_->path()).absolutePath()).filePath(QStringLiteral("demo-songs"));
    QString error;
    if (!backend_->createDemoLibrary(folder, &error))
        showError(tr("Demo library"), error.isEmpty() ? tr("The demo songs could not be generated.") : error);
}

void MainWindow::showTrackMenu(const QPoint& pos)
{
    const QModelIndex at = trackView_->indexAt(pos);
    if (!at.isValid()) return;
    if (!trackView_->selectionModel()->isRowSelected(at.row(), QModelIndex())) trackView_->selectRow(at.row());
    const QVector<qint64> ids = selectedTrackIds();
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("trackMenu"));
    menu->addAction(playAction_);
    auto* stems = menu->addAction(tr("Export S&tems…"), this, &MainWindow::exportStemsDialog);
    stems->setEnabled(ids.size() == 1);
    menu->addAction(tr("Export &Playlist…"), this, &MainWindow::exportPlaylistDialog);
    menu->addAction(tr("Analyse &Again"), this, [this, ids] {
        QString error;
        if (!backend_->reanalyseTracks(ids, &error) && !error.isEmpty()) showError(tr("Analyse again"), error);
    });
    const TrackRow* row = tracks_->track(at.data(TrackTableModel::TrackIdRole).toLongLong());
    const QString path = row ? row->path : QString();
    auto* folder = menu->addAction(tr("Show in &Folder"), this, [path] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
    });
    folder->setEnabled(!path.isEmpty());
    menu->addSeparator();
    if (auto* remove = findChild<QAction*>(QStringLiteral("removeTracks"))) menu->addAction(remove);
    menu->popup(trackView_->viewport()->mapToGlobal(pos));
}

void MainWindow::removeSelectedTracks()
{
    const QVector<qint64> ids = selectedTrackIds();
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("Select the tracks to remove in the library first."), 5000);
        return;
    }
    const TrackRow* one = ids.size() == 1 ? tracks_->track(ids.front()) : nullptr;
    const QString what = one ? tr("“%1”").arg(one->title) : tr("%1 tracks").arg(ids.size());
    // Non-modal: background work and tests keep running while it is asked.
    auto* box = new QMessageBox(QMessageBox::Question, tr("Remove from library"),
                                tr("Remove %1 from the library?").arg(what), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmRemove"));
    box->setInformativeText(tr("The audio files stay on disk. Their analyses, map points and cached stems are "
                               "removed; listening-test answers are kept. Adding the files again brings them back."));
    box->addButton(tr("Remove"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, ids] {
        if (box->buttonRole(box->clickedButton()) != QMessageBox::AcceptRole) return;
        QString error;
        const int removed = backend_->removeTracks(ids, &error);
        if (removed == 0 && !error.isEmpty()) showError(tr("Remove from library"), error);
        else statusBar()->showMessage(tr("Removed %n track(s) from the library; the files are untouched.", nullptr, removed), 8000);
    });
    box->open();
}

void MainWindow::reanalyse()
{
    QString error;
    if (!backend_->analyse(true, &error)) {
        if (!error.isEmpty()) showError(tr("Re-analyse"), error);
        return;
    }
    statusBar()->showMessage(tr("Re-analysing the library in the background…"), 4000);
}

NeighbourFilter MainWindow::neighbourFilter() const
{
    NeighbourFilter f;
    f.sameArtist = hideArtist_->isChecked();
    f.sameAlbum = hideAlbum_->isChecked();
    for (const QString& t : hideTags_->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty()) f.hiddenTags << t.trimmed();
    return f;
}

void MainWindow::setNeighbourFilter(const NeighbourFilter& filter)
{
    {
        const QSignalBlocker a(hideArtist_), b(hideAlbum_), c(hideTags_);
        hideArtist_->setChecked(filter.sameArtist);
        hideAlbum_->setChecked(filter.sameAlbum);
        hideTags_->setText(filter.hiddenTags.join(QStringLiteral(", ")));
    }
    backend_->setNeighbourFilter(neighbourFilter());
    refreshNeighbours();
    refreshComparison();
}

bool MainWindow::exportPlaylistTo(const QString& path, QString* error)
{
    QVector<qint64> ids = selectedTrackIds();
    QString title;
    if (ids.size() >= 2) {
        title = tr("%n selected track(s)", nullptr, int(ids.size()));
    } else {
        const TrackRow* row = tracks_->track(currentTrack_);
        if (!row) {
            if (error) *error = tr("Select a track (or several) first.");
            return false;
        }
        ids = {currentTrack_};
        for (int r = 0; r < neighbours_->model()->rowCount(); ++r) ids << neighbours_->model()->rowAt(r).trackId;
        title = tr("%1 neighbours of %2").arg(focusLabel(currentFocus()), row->title.isEmpty() ? QFileInfo(row->path).completeBaseName() : row->title);
    }
    return backend_->exportPlaylist(path, title, ids, error);
}

void MainWindow::exportPlaylistDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Export Playlist"), QDir::homePath() + QStringLiteral("/neighbours.m3u8"),
                                                tr("M3U playlist (*.m3u8 *.m3u);;XSPF playlist (*.xspf)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportPlaylistTo(path, &error)) showError(tr("Export Playlist"), error);
    else statusBar()->showMessage(tr("Playlist written to %1").arg(QDir::toNativeSeparators(path)), 5000);
}

quint64 MainWindow::exportStemsTo(const QStringList& stems, const QString& folder, QString* error)
{
    if (!tracks_->track(currentTrack_)) {
        if (error) *error = tr("Select a track first.");
        return 0;
    }
    return backend_->exportStems(currentTrack_, stems, folder, error);
}

void MainWindow::exportStemsDialog()
{
    const TrackRow* row = tracks_->track(currentTrack_);
    if (!row) {
        showError(tr("Export Stems"), tr("Select a track first."));
        return;
    }
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Export Stems"));
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(tr("Stems of “%1” to write as FLAC:").arg(row->title.isEmpty() ? QFileInfo(row->path).completeBaseName() : row->title), &dialog));
    QList<QCheckBox*> boxes;
    for (const QString& stem : {QStringLiteral("drums"), QStringLiteral("bass"), QStringLiteral("piano"), QStringLiteral("guitar"), QStringLiteral("other")}) {
        auto* box = new QCheckBox(FocusSelector::displayName(stem), &dialog);
        box->setProperty("stem", stem);
        box->setChecked(true);
        layout->addWidget(box);
        boxes << box;
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    QStringList stems;
    for (auto* box : boxes)
        if (box->isChecked()) stems << box->property("stem").toString();
    if (stems.isEmpty()) return;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export Stems To"), QDir::homePath());
    if (folder.isEmpty()) return;
    QString error;
    if (!exportStemsTo(stems, folder, &error) && !error.isEmpty()) showError(tr("Export Stems"), error);
}

void MainWindow::exportCurrent()
{
    const int tab = tabs_->currentIndex();
    const QString base = tab == 0   ? QStringLiteral("stemscope-map")
                         : tab == 1 ? QStringLiteral("stemscope-heatmap")
                         : tab == 3 ? QStringLiteral("stemscope-listening")
                                    : QStringLiteral("stemscope-compare");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export as PNG"), base + QStringLiteral("-") + currentFocus() + QStringLiteral(".png"),
                                                      tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    QString error;
    bool ok = false;
    if (tab == 1) ok = heatmap_->exportPng(path, &error);
    else ok = tabs_->currentWidget()->grab().save(path, "PNG");
    if (!ok) showError(tr("Export"), error.isEmpty() ? tr("Could not write %1.").arg(path) : error);
    else statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void MainWindow::showSettings()
{
    const AppSettings before = AppSettings::load();
    SettingsDialog dialog(before, this);
    if (dialog.exec() != QDialog::Accepted) return;
    const AppSettings after = dialog.settings();
    after.save();
    backend_->configure({after.analysisThreads, after.silenceDb});
    if (after.libraryPath != backend_->path()) openLibrary(after.libraryPath);
    if (after.silenceDb != before.silenceDb)
        statusBar()->showMessage(tr("New silence threshold applies to new analyses; press F5 to re-analyse."), 8000);
}

void MainWindow::showShortcuts()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("Keyboard shortcuts"),
                                tr("Ctrl+O\tadd files\nCtrl+Shift+O\tadd a folder\nCtrl+1…5\tfocus: Mix, Drums, Bass, Piano, "
                                   "Guitar\nSpace\tplay / stop the selected track\nCtrl+Left / Ctrl+Right\tseek 5 s back / forward\n"
                                   "Enter (neighbours)\tplay the neighbour's matching 3 s segment\nShift+Enter\tplay the "
                                   "neighbour's mix\nCtrl+Enter\tplay the neighbour's stem of the focus\nCtrl/Shift+click\tselect "
                                   "several tracks for the heatmap\nCtrl+F\tfilter the library\nCtrl+R\trescan the library folders\nF5\tre-analyse\n"
                                   "Ctrl+E\texport the current view as PNG\nCtrl+Shift+P\texport a playlist (selection, else query + neighbours)\nCtrl+0\treset the map zoom\nCtrl+M\tmap of tracks / map of segments\nCtrl+Shift+M\tthe selected track's segments on the map\nDelete (library)\tremove the selected tracks from the library\nArrows (map)\tpan the map\nCtrl+,\tsettings\n"
                                   "Ctrl+L\tlistening test (then X/A/B play, 1/2 answer, C confident, L loop, P pause)\n"
                                   "Ctrl+T\ttrain a model"),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showListeningTest()
{
    tabs_->setCurrentWidget(listening_);
    listening_->activate();
}

TrainingWizard* MainWindow::trainingWizard() const { return trainingWizard_.data(); }

void MainWindow::showTrainingWizard()
{
    if (trainingWizard_) {
        trainingWizard_->raise();
        trainingWizard_->activateWindow();
        return;
    }
    trainingWizard_ = new TrainingWizard(backend_.get(), {}, this);
    trainingWizard_->setAttribute(Qt::WA_DeleteOnClose);
    trainingWizard_->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Stemscope"),
                       tr("<b>Stemscope</b> %1<br>Browse music by instrument: songs whose drums, bass, piano or guitar "
                          "sound alike.<br>Everything runs offline on this computer.")
                           .arg(QApplication::applicationVersion()));
}

void MainWindow::togglePlayback()
{
    if (player_->isPlaying()) {
        stopPlayback();
        statusBar()->showMessage(tr("Stopped"), 2000);
        return;
    }
    if (currentTrack_ < 0) {
        statusBar()->showMessage(tr("Select a track to play."), 3000);
        return;
    }
    startPlayback(currentTrack_, currentFocus());
}

void MainWindow::playSegment(qint64 trackId, double startSeconds)
{
    startPlayback(trackId, currentFocus(), startSeconds, backend_->segmentSeconds(currentFocus()));
}

void MainWindow::startPlayback(qint64 trackId, const QString& focus, double startSeconds, double lengthSeconds, const QString& note,
                               bool maySeparate)
{
    const QString path = backend_->playablePath(trackId, focus);
    const TrackRow* row = tracks_->track(trackId);
    const QString title = row && !row->title.isEmpty() ? row->title : QFileInfo(row ? row->path : path).completeBaseName();
    pendingPlay_ = {};
    if (maySeparate && FocusSelector::hasStem(focus) && row && !path.isEmpty() &&
        QFileInfo(path).absoluteFilePath() == QFileInfo(row->path).absoluteFilePath()) {
        // No stem yet (the stems for listening come after the analysis): separate this track now.
        if (backend_->prepareListeningStems({trackId}, true, nullptr) != 0) {
            if (player_->isPlaying()) stopPlayback();
            pendingPlay_ = {trackId, focus, note, startSeconds, lengthSeconds};
            statusBar()->showMessage(tr("Separating %1 to play its %2 stem…").arg(title, focusLabel(focus).toLower()), 10000);
            return;
        }
    }
    // Say what is heard: the mix, the focus's stem, or the mix standing in for a missing stem.
    QString source = tr("mix");
    if (FocusSelector::hasStem(focus)) {
        const bool stem = !path.isEmpty() && (!row || QFileInfo(path).absoluteFilePath() != QFileInfo(row->path).absoluteFilePath());
        source = stem ? tr("%1 stem").arg(focusLabel(focus)) : tr("mix (no %1 stem)").arg(focusLabel(focus).toLower());
    }
    QString what = lengthSeconds > 0 ? tr("%1 · %2 · %4 s segment at %3")
                                           .arg(title, source, TransportBar::formatTime(startSeconds))
                                           .arg(lengthSeconds, 0, 'g', 3)
                                     : tr("%1 · %2").arg(title, source);
    if (!note.isEmpty()) what += QStringLiteral(" · ") + note;
    Q_EMIT playRequested(trackId, startSeconds, lengthSeconds, what);
    const auto r = lengthSeconds > 0 ? player_->playSegment(path.toStdString(), startSeconds, lengthSeconds)
                                     : player_->playFile(path.toStdString(), startSeconds);
    if (!r) {
        reportPlayerError(r.error);
        if (r.error.rfind(kNoAudioDeviceError, 0) == 0) transport_->setUnavailable(QString::fromStdString(r.error));
        updateStatus();
        return;
    }
    nowPlaying_ = what;
    nowPlayingTrack_ = trackId;
    const double from = lengthSeconds > 0 ? startSeconds : 0.0;
    transport_->setNowPlaying(what, from, from + player_->lengthSeconds());
    playTimer_->start();
    statusBar()->showMessage(tr("Playing %1").arg(what), 4000);
    updateStatus();
}

void MainWindow::playMatchingSegment(qint64 neighbourId)
{
    if (currentTrack_ < 0 || neighbourId < 0) return;
    const qint64 query = currentTrack_;
    const QString focus = currentFocus();
    // The query's moment to match: the one picked on the map, the one playing now, or (none) the best pair.
    double at = queryAnchor_;
    if (at < 0 && player_->isPlaying() && nowPlayingTrack_ == query) at = player_->positionSeconds();
    const quint64 gen = ++matchGen_;
    statusBar()->showMessage(tr("Finding the matching segment…"), 3000);
    LibraryBackend* b = backend_.get();
    runQuery<SegmentMatch>([b, query, at, neighbourId, focus] { return b->matchingSegment(query, at, neighbourId, focus); },
                           [this, gen, neighbourId, focus](const SegmentMatch& m) {
                               if (gen != matchGen_) return;
                               if (!m.found) {
                                   showError(tr("Play segment"),
                                             tr("No matching segment: %1").arg(m.message.isEmpty() ? tr("unknown reason") : m.message),
                                             false);
                                   return;
                               }
                               startPlayback(neighbourId, focus, m.startSeconds, backend_->segmentSeconds(focus),
                                             tr("matches the query at %1 (distance %2)")
                                                 .arg(TransportBar::formatTime(m.queryStartSeconds))
                                                 .arg(m.distance, 0, 'f', 3));
                           });
}

void MainWindow::stopPlayback()
{
    player_->stop();
    playTimer_->stop();
    if (transport_->isAvailable()) transport_->setStopped(nowPlaying_);
    updateStatus();
}

void MainWindow::seekBy(double seconds)
{
    if (!player_->isPlaying()) return;
    const auto r = player_->seek(std::max(0.0, player_->positionSeconds() + seconds));
    if (!r) reportPlayerError(r.error);
    onPlayTick();
}

void MainWindow::onPlayTick()
{
    if (!player_->isPlaying()) { // reached the end by itself
        stopPlayback();
        return;
    }
    transport_->setPosition(player_->positionSeconds());
}

void MainWindow::checkAudioOutput()
{
    const auto r = player_->checkOutput();
    if (!r) transport_->setUnavailable(QString::fromStdString(r.error));
}

void MainWindow::reportPlayerError(const std::string& error)
{
    // A missing sound card is an environment fact, not a user mistake: say it in the status bar
    // (every time) without stacking dialogs.
    showError(tr("Playback"), tr("Cannot play: %1").arg(QString::fromStdString(error)),
              error.rfind(kNoAudioDeviceError, 0) != 0);
}

void MainWindow::showError(const QString& title, const QString& text, bool dialog)
{
    lastError_ = text;
    statusBar()->showMessage(text, 10000);
    if (!dialog) return;
    // Non-modal: background work and tests keep running while it is shown.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::updateStatus()
{
    const int n = tracks_->rowCount();
    libraryLabel_->setText(backend_->path().isEmpty()
                               ? tr("No library open")
                               : tr("%n track(s) · %1", nullptr, n).arg(QFileInfo(backend_->path()).fileName()));
    libraryLabel_->setToolTip(QDir::toNativeSeparators(backend_->path()));
    const bool playing = player_->isPlaying();
    playerLabel_->setText(playing ? tr("▶ %1").arg(QFileInfo(QString::fromStdString(player_->currentPath())).fileName()) : QString());
    playAction_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
    playAction_->setText(playing ? tr("Stop") : tr("Play"));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    playTimer_->stop();
    player_->stop();
    if (backend_->activeJobs() > 0) {
        // Jobs save as they go; cancelling loses only the track in progress.
        statusBar()->showMessage(tr("Cancelling background jobs…"));
        for (auto* row : jobs_->findChildren<QWidget*>(QRegularExpression(QStringLiteral("^job_\\d+$"))))
            backend_->cancel(row->objectName().mid(4).toULongLong());
    }
    if (options_.persistSettings) {
        QSettings s;
        s.setValue(QStringLiteral("window/geometry"), saveGeometry());
        s.setValue(QStringLiteral("window/state"), saveState());
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (shownOnce_) return;
    shownOnce_ = true;
    // Dock sizes set before the window had its real width get squeezed by the central tabs'
    // minimum width: share what is left between the library and the neighbours once shown.
    if (!layoutRestored_) {
        const int side = std::max(400, width() - centralWidget()->minimumSizeHint().width() - 20);
        resizeDocks({libraryDock_, neighbourDock_}, {side * 52 / 100, side * 48 / 100}, Qt::Horizontal);
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) {
        for (const QUrl& u : event->mimeData()->urls())
            if (u.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& u : event->mimeData()->urls())
        if (u.isLocalFile()) paths << u.toLocalFile();
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    addPaths(paths);
}

bool MainWindow::saveScreenshots(const QString& dir, QString* error)
{
    if (!QDir().mkpath(dir)) {
        if (error) *error = tr("Cannot create %1").arg(dir);
        return false;
    }
    const QDir d(dir);
    auto save = [&](QWidget* w, const QString& name) {
        QApplication::processEvents();
        const QPixmap pm = w->grab();
        if (pm.isNull() || !pm.save(d.filePath(name), "PNG")) {
            if (error) *error = tr("Could not save %1").arg(d.filePath(name));
            return false;
        }
        return true;
    };
    tabs_->setCurrentIndex(0);
    waitUntilIdle(120000);
    if (!save(this, QStringLiteral("main.png"))) return false;
    if (!save(neighbourDock_, QStringLiteral("neighbours.png"))) return false;
    // The tabs on their own get the whole window: hide the docks while grabbing them.
    const QByteArray layout = saveState();
    for (auto* dock : {libraryDock_, neighbourDock_, jobsDock_}) dock->hide();
    QApplication::processEvents();
    map_->resetZoom();
    if (!save(tabs_->currentWidget(), QStringLiteral("map.png"))) return false;
    tabs_->setCurrentIndex(1);
    waitUntilIdle(120000);
    if (!save(heatmap_, QStringLiteral("heatmap.png"))) return false;
    // The heatmap of a selection: the first six tracks of the library table.
    const QVector<qint64> before = selectedTrackIds();
    QVector<qint64> six;
    for (int r = 0; r < std::min(6, proxy_->rowCount()); ++r) six << proxy_->index(r, 0).data(TrackTableModel::TrackIdRole).toLongLong();
    if (six.size() >= 2 && selectTracks(six)) {
        selectionTimer_->start();
        waitUntilIdle(60000);
        if (!save(heatmap_, QStringLiteral("heatmap-selection.png"))) return false;
        selectTracks(before);
        waitUntilIdle(60000);
    }
    tabs_->setCurrentIndex(2);
    waitUntilIdle(60000);
    if (!save(compare_, QStringLiteral("compare.png"))) return false;
    restoreState(layout);
    tabs_->setCurrentIndex(0);
    // The Style (tags) focus, when the library has style results: the whole window.
    const QString before_focus = currentFocus();
    const auto& rows = tracks_->tracks();
    const bool haveStyle = std::any_of(rows.begin(), rows.end(), [](const TrackRow& r) {
        return r.analysis.value(QStringLiteral("style"), AnalysisState::None) == AnalysisState::Done;
    });
    if (auto* style = focus_->actionFor(QStringLiteral("style")); style && haveStyle) {
        style->trigger();
        waitUntilIdle(120000);
        map_->resetZoom();
        if (!save(this, QStringLiteral("style.png"))) return false;
        if (auto* back = focus_->actionFor(before_focus)) back->trigger();
        waitUntilIdle(60000);
    }
    return true;
}

}  // namespace stemscope::ui
