# JUCE (Debian's juce-modules-source) wrapped in one static library. Its INTERFACE carries the
# module settings and include dirs, so anything linking it sees one consistent JUCE configuration.
set(JUCE_MODULES_DIR /usr/share/juce/modules CACHE PATH "JUCE modules directory")
if(NOT EXISTS ${JUCE_MODULES_DIR}/juce_core/juce_core.cpp)
  message(FATAL_ERROR "JUCE modules not found in ${JUCE_MODULES_DIR}; run packaging/install-deps.sh")
endif()

pkg_check_modules(JUCE_DEPS REQUIRED IMPORTED_TARGET flac vorbis vorbisfile vorbisenc ogg alsa zlib)

set(STEMSCOPE_JUCE_MODULES juce_core juce_events juce_audio_basics juce_audio_formats juce_audio_devices juce_dsp)
set(STEMSCOPE_JUCE_SOURCES)
foreach(mod ${STEMSCOPE_JUCE_MODULES})
  list(APPEND STEMSCOPE_JUCE_SOURCES ${JUCE_MODULES_DIR}/${mod}/${mod}.cpp)
endforeach()

add_library(stemscope_juce STATIC ${STEMSCOPE_JUCE_SOURCES})
set(STEMSCOPE_JUCE_DEFS
  JUCE_GLOBAL_MODULE_SETTINGS_INCLUDED=1
  JUCE_STANDALONE_APPLICATION=0
  JUCE_DISPLAY_SPLASH_SCREEN=0
  JUCE_REPORT_APP_USAGE=0
  JUCE_USE_CURL=0
  JUCE_WEB_BROWSER=0
  JUCE_LOAD_CURL_SYMBOLS_LAZILY=0
  JUCE_USE_FLAC=1
  JUCE_USE_OGGVORBIS=1
  JUCE_USE_MP3AUDIOFORMAT=1
  JUCE_USE_LAME_AUDIO_FORMAT=0
  JUCE_USE_WINDOWS_MEDIA_FORMAT=0
  JUCE_INCLUDE_FLAC_CODE=0
  JUCE_INCLUDE_OGGVORBIS_CODE=0
  JUCE_ALSA=1
  JUCE_JACK=0
  JUCE_STRICT_REFCOUNTEDPOINTER=1
  JUCE_MODAL_LOOPS_PERMITTED=0)
foreach(mod ${STEMSCOPE_JUCE_MODULES})
  list(APPEND STEMSCOPE_JUCE_DEFS JUCE_MODULE_AVAILABLE_${mod}=1)
endforeach()
target_compile_definitions(stemscope_juce PUBLIC ${STEMSCOPE_JUCE_DEFS} $<$<CONFIG:Release>:NDEBUG=1>)
target_include_directories(stemscope_juce SYSTEM PUBLIC ${JUCE_MODULES_DIR})
target_compile_options(stemscope_juce PRIVATE -w)
set_target_properties(stemscope_juce PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_link_libraries(stemscope_juce PUBLIC PkgConfig::JUCE_DEPS Threads::Threads ${CMAKE_DL_LIBS})
