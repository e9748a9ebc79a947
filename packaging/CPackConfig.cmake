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
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
include(CPack)
