# `cpack -G DEB` from the build folder produces a Debian package of the app and CLI.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/stemscope.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/io.github.stemscope.Stemscope.metainfo.xml DESTINATION share/metainfo)
# Training checkpoints and stem banks stay in the source tree (they exist only to resume training).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION share/stemscope/models OPTIONAL
  PATTERN "*.ckpt" EXCLUDE PATTERN "*.bank" EXCLUDE)

set(CPACK_PACKAGE_NAME stemscope)
set(CPACK_PACKAGE_VENDOR "Stemscope")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Browse a music library by instrument")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Stemscope developers")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What shlibdeps cannot see: programs and data loaded at run time. The first-start demo renders
# songs with mma + a General MIDI soundfont; Qt needs its platform plugins (xcb/offscreen); decoding
# and playback use ALSA through JUCE (linked, so found by shlibdeps).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "mma, fluid-soundfont-gm | musescore-general-soundfont-small | timgm6mb-soundfont, qt6-qpa-plugins, libqt6charts6, libqt6concurrent6")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
include(CPack)
