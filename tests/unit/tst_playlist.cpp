// Playlist files other players read: extended M3U and XSPF, chosen by extension, with titles kept
// on one line, XML escaped and paths as percent-encoded file:// URIs.
#include <QtTest>

#include <QXmlStreamReader>
#include <fstream>
#include <sstream>

#include "library/Playlist.h"

using namespace stemscope;

class TestPlaylist : public QObject {
    Q_OBJECT
    const std::vector<PlaylistEntry> entries_ = {
        {"/music/a b/ünï 曲.flac", "Song <1> & \"more\"", "The Band", "First", 183.4},
        {"/music/x.wav", "Line\nbreak", "", "", 0},
    };

private Q_SLOTS:
    void formatByExtension()
    {
        QCOMPARE(playlistFormatFor("/tmp/x.m3u8"), PlaylistFormat::M3U);
        QCOMPARE(playlistFormatFor("/tmp/x.M3U"), PlaylistFormat::M3U);
        QCOMPARE(playlistFormatFor("/tmp/x.xspf"), PlaylistFormat::XSPF);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, playlistFormatFor("/tmp/x.txt"));
    }

    void extendedM3u()
    {
        const std::string m3u = formatPlaylist("drums neighbours", entries_, PlaylistFormat::M3U);
        QCOMPARE(m3u, std::string("#EXTM3U\n#PLAYLIST:drums neighbours\n"
                                  "#EXTINF:183,The Band - Song <1> & \"more\"\n/music/a b/ünï 曲.flac\n"
                                  "#EXTINF:-1,Line break\n/music/x.wav\n"));
    }

    void xspfIsValidXmlWithFileUris()
    {
        const std::string xml = formatPlaylist("mix & more", entries_, PlaylistFormat::XSPF);
        // Parse it back (QXmlStreamReader: well-formed or an error) into element paths.
        QXmlStreamReader r(QByteArray::fromStdString(xml));
        QStringList path;
        QList<QMap<QString, QString>> tracks;
        QString listTitle, ns;
        while (!r.atEnd()) {
            r.readNext();
            if (r.isStartElement()) {
                path << r.name().toString();
                if (path.size() == 1) ns = r.namespaceUri().toString();
                if (r.name() == QLatin1String("track")) tracks.append(QMap<QString, QString>());
            } else if (r.isEndElement()) {
                path.removeLast();
            } else if (r.isCharacters() && !r.isWhitespace()) {
                if (path == QStringList{"playlist", "title"}) listTitle = r.text().toString();
                else if (path.size() == 4 && path[2] == "track") tracks.last()[path[3]] += r.text().toString();
            }
        }
        QVERIFY2(!r.hasError(), qPrintable(r.errorString()));
        QCOMPARE(ns, QStringLiteral("http://xspf.org/ns/0/"));
        QCOMPARE(listTitle, QStringLiteral("mix & more"));
        QCOMPARE(tracks.size(), 2);
        const auto& first = tracks[0];
        QCOMPARE(first["location"], QStringLiteral("file:///music/a%20b/%C3%BCn%C3%AF%20%E6%9B%B2.flac"));
        QCOMPARE(QUrl(first["location"]).toLocalFile(), QString::fromUtf8("/music/a b/ünï 曲.flac"));
        QCOMPARE(first["title"], QStringLiteral("Song <1> & \"more\""));
        QCOMPARE(first["creator"], QStringLiteral("The Band"));
        QCOMPARE(first["album"], QStringLiteral("First"));
        QCOMPARE(first["duration"], QStringLiteral("183400"));
        QVERIFY(!tracks[1].contains("duration"));  // unknown: left out
    }

    void writesAtomicallyAndNamesProblems()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("list.xspf").toStdString();
        writePlaylist(path, "t", entries_);
        std::ifstream in(path);
        std::stringstream all;
        all << in.rdbuf();
        QCOMPARE(all.str(), formatPlaylist("t", entries_, PlaylistFormat::XSPF));
        QVERIFY(!QFile::exists(dir.filePath("list.xspf.tmp")));
        try {
            writePlaylist(dir.filePath("no/such/folder/list.m3u8").toStdString(), "t", entries_);
            QFAIL("wrote into a missing folder");
        } catch (const std::runtime_error& e) {
            QVERIFY(QString(e.what()).contains("cannot write the playlist"));
        }
    }
};

QTEST_GUILESS_MAIN(TestPlaylist)
#include "tst_playlist.moc"
