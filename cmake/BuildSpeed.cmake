# Build time. Measured on 2 cores (README, "Try it"), most of a fresh build
# is GCC instantiating and optimizing the same templates (std::variant,
# std::regex, Asio's coroutines, CLI11) again in every .cpp file, and
# parsing the same headers again for each. So:
#  - unity builds: each module compiles its .cpp files in batches, so a
#    batch instantiates and optimizes each template once;
#  - precompiled headers: the standard library once (shared by the
#    libraries that know nothing of Asio), the standard library and Asio
#    once (shared by ssh, orchestrator and the fleetk8s binary);
#  - ccache, when installed, for rebuilds.
# -DFLEETK8S_FAST_BUILD=OFF compiles each .cpp file on its own, without
# precompiled headers (e.g. to check that every file includes what it uses).
# Included before add_subdirectory(src); the targets are set up once the
# root directory has been read.

option(FLEETK8S_FAST_BUILD "Unity builds and precompiled headers" ON)

find_program(FLEETK8S_CCACHE ccache)
if(FLEETK8S_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # pch_defines,time_macros: ccache may then cache files built with a
  # precompiled header.
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros ${FLEETK8S_CCACHE})
endif()

set(FLEETK8S_STD_PCH <algorithm> <chrono> <cstdint> <filesystem> <fstream> <functional> <map> <memory>
  <optional> <regex> <set> <sstream> <string> <string_view> <utility> <variant> <vector>)
set(FLEETK8S_ASIO_PCH ${FLEETK8S_STD_PCH} <boost/asio/awaitable.hpp> <boost/asio/co_spawn.hpp>
  <boost/asio/detached.hpp> <boost/asio/io_context.hpp> <boost/asio/redirect_error.hpp>
  <boost/asio/steady_timer.hpp> <boost/asio/this_coro.hpp> <boost/asio/use_awaitable.hpp>)

function(fleetk8s_fast_build)
  if(NOT FLEETK8S_FAST_BUILD)
    return()
  endif()
  set(libraries "")
  get_property(dirs DIRECTORY ${PROJECT_SOURCE_DIR}/src PROPERTY SUBDIRECTORIES)
  foreach(dir ${dirs})
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    list(APPEND libraries ${targets})
  endforeach()

  # Each file's own helpers sit in an anonymous namespace, which a unity
  # batch shares with the other files of the batch: these files define a
  # name another file of their module defines too (the template filter,
  # test and method lower(), each command's fail(), ...), so they are
  # compiled on their own. A build that fails with "redefinition of" a
  # file-local name in Unity/unity_N_cxx.cxx needs its file added here.
  set(own_file
    cli/cluster_commands.cpp cli/inventory_command.cpp cli/run_command.cpp cli/ssh_config_inventory.cpp
    modules/blockinfile_module.cpp
    playbook/arg_check.cpp playbook/task_parser.cpp
    sshconfig/lookup.cpp sshconfig/values.cpp
    template/builtins_tests.cpp template/builtins_text.cpp)
  foreach(file ${own_file})
    get_filename_component(dir ${file} DIRECTORY)
    set_source_files_properties(${PROJECT_SOURCE_DIR}/src/${file} DIRECTORY ${PROJECT_SOURCE_DIR}/src/${dir}
      PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endforeach()
  # Batches of 8 files keep both cores busy on the big modules; GCC's
  # -Wsubobject-linkage takes the batched .cpp files for headers.
  set_target_properties(${libraries} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    foreach(target ${libraries})
      target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
    endforeach()
  endif()

  # The tests' and tools' targets share the precompiled headers too (only
  # fleetk8s's own: not third-party code built alongside).
  set(all_targets "")
  get_property(top DIRECTORY ${PROJECT_SOURCE_DIR} PROPERTY SUBDIRECTORIES)
  list(FILTER top INCLUDE REGEX "^${PROJECT_SOURCE_DIR}/(src|tests)(/|$)")
  set(dirs ${top})
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    list(APPEND all_targets ${targets})
    list(APPEND dirs ${subdirs})
  endwhile()

  # A target can share a precompiled header only with targets of the same
  # compile options, and GCC refuses one built with a macro that the file
  # being compiled does not define (fleetk8s_ssh's own, say). So the two
  # headers are built by targets of their own with the options all share:
  # those of the libraries that use Asio (fleetk8s_asio), and the others'.
  file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/fleetk8s_pch.cpp CONTENT "// Only here to build the precompiled headers.\n")
  add_library(fleetk8s_pch_std OBJECT ${PROJECT_BINARY_DIR}/fleetk8s_pch.cpp)
  target_precompile_headers(fleetk8s_pch_std PRIVATE ${FLEETK8S_STD_PCH})
  add_library(fleetk8s_pch_asio OBJECT ${PROJECT_BINARY_DIR}/fleetk8s_pch.cpp)
  target_link_libraries(fleetk8s_pch_asio PRIVATE fleetk8s_asio)
  target_precompile_headers(fleetk8s_pch_asio PRIVATE ${FLEETK8S_ASIO_PCH})
  foreach(target ${all_targets})
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    get_target_property(links ${target} LINK_LIBRARIES)
    if("fleetk8s_asio" IN_LIST links OR "fleetk8s_ssh" IN_LIST links OR "fleetk8s_orchestrator" IN_LIST links)
      target_precompile_headers(${target} REUSE_FROM fleetk8s_pch_asio)
    else()
      target_precompile_headers(${target} REUSE_FROM fleetk8s_pch_std)
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL fleetk8s_fast_build)
