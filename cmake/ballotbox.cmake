# Helpers shared by every module's CMakeLists.

# ballotbox_library(NAME SOURCES... DEPS ...): a static library named ballotbox_NAME with
# the alias ballotbox::NAME. Headers are included as "NAME/header.h" from the source root.
function(ballotbox_library name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPS" ${ARGN})
  add_library(ballotbox_${name} STATIC ${arg_SOURCES})
  add_library(ballotbox::${name} ALIAS ballotbox_${name})
  target_include_directories(ballotbox_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(ballotbox_${name} PUBLIC ${arg_DEPS})
endfunction()

# ballotbox_test_suite(NAME DEPS ... [LOCK resource]): one doctest executable test_NAME
# built from every tests/NAME/*.cpp, each test case registered with CTest on its own.
include(${doctest_DIR}/doctest.cmake)
function(ballotbox_test_suite name)
  cmake_parse_arguments(arg "" "LOCK;TIMEOUT" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
  add_executable(test_${name} ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp ${sources})
  target_link_libraries(test_${name} PRIVATE doctest::doctest ${arg_DEPS})
  target_compile_definitions(test_${name} PRIVATE
    BALLOTBOX_SOURCE_DIR="${PROJECT_SOURCE_DIR}" BALLOTBOX_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 600)
  endif()
  set(props TIMEOUT ${arg_TIMEOUT})
  if(arg_LOCK)
    list(APPEND props RESOURCE_LOCK ${arg_LOCK})
  endif()
  doctest_discover_tests(test_${name} TEST_PREFIX "${name}: " PROPERTIES ${props})
endfunction()

# ballotbox_library_glob(NAME DEPS ...): ballotbox_library over every *.cpp in the current
# folder, so adding a source file needs no edit here.
function(ballotbox_library_glob name)
  cmake_parse_arguments(arg "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(sources)
    ballotbox_library(${name} SOURCES ${sources} DEPS ${arg_DEPS})
  endif()
endfunction()

# ballotbox_test_suite_if_any: ballotbox_test_suite, but only once tests/NAME has a .cpp.
function(ballotbox_test_suite_if_any name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
  if(sources)
    ballotbox_test_suite(${name} ${ARGN})
  endif()
endfunction()
