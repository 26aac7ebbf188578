# Installing fleetk8s and packing it with CPack. Included from the root
# CMakeLists.txt after src/, so the fleetk8s target exists.
#
#   cmake --install build [--prefix DIR] [--strip]
#   cd build && cpack                      # fleetk8s_VERSION_ARCH.deb (+ .rpm where rpmbuild is)
#
# Layout (GNUInstallDirs, relative to the prefix):
#   bin/fleetk8s
#   share/fleetk8s/playbooks/                    found relative to the binary (src/cli/install_paths.h)
#   share/doc/fleetk8s/examples/example.{ini,yml}
#   share/man/man1/fleetk8s.1.gz                 `fleetk8s man`, at build time
#   share/bash-completion/completions/fleetk8s   `fleetk8s completion bash`
#   share/zsh/vendor-completions/_fleetk8s       `fleetk8s completion zsh` (Debian's zsh looks there)

include(GNUInstallDirs)

# The binary finds its playbooks from where it runs, so the package works
# under any prefix (/usr for the .deb, /usr/local, `--prefix ~/.local`, dpkg -x).
set(FLEETK8S_PLAYBOOKS_DIR ${CMAKE_INSTALL_DATADIR}/fleetk8s/playbooks)
file(RELATIVE_PATH _fleetk8s_playbooks_from_bindir
     /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${FLEETK8S_PLAYBOOKS_DIR})
target_compile_definitions(fleetk8s PRIVATE
  FLEETK8S_PLAYBOOKS_FROM_BINDIR="${_fleetk8s_playbooks_from_bindir}")

# The man page and the completion scripts come from the binary's own command
# line definition, so they say what this build accepts.
set(_fleetk8s_docs ${PROJECT_BINARY_DIR}/docs)
add_custom_command(
  OUTPUT ${_fleetk8s_docs}/fleetk8s.1.gz ${_fleetk8s_docs}/fleetk8s.bash ${_fleetk8s_docs}/_fleetk8s
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_fleetk8s_docs}
  COMMAND sh -c "\"$1\" man >\"$2.tmp\" && gzip -9n <\"$2.tmp\" >\"$2\" && rm \"$2.tmp\""
          sh $<TARGET_FILE:fleetk8s> ${_fleetk8s_docs}/fleetk8s.1.gz
  COMMAND sh -c "\"$1\" completion bash >\"$2\"" sh $<TARGET_FILE:fleetk8s> ${_fleetk8s_docs}/fleetk8s.bash
  COMMAND sh -c "\"$1\" completion zsh >\"$2\"" sh $<TARGET_FILE:fleetk8s> ${_fleetk8s_docs}/_fleetk8s
  DEPENDS fleetk8s
  COMMENT "Writing the man page and completion scripts from fleetk8s' command line"
  VERBATIM)
add_custom_target(fleetk8s_docs ALL DEPENDS ${_fleetk8s_docs}/fleetk8s.1.gz)

install(TARGETS fleetk8s RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/playbooks/ DESTINATION ${FLEETK8S_PLAYBOOKS_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/inventories/example.ini ${PROJECT_SOURCE_DIR}/inventories/example.yml
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${_fleetk8s_docs}/fleetk8s.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_fleetk8s_docs}/fleetk8s.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME fleetk8s)
install(FILES ${_fleetk8s_docs}/_fleetk8s DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# CPack: a .deb always, an .rpm where rpmbuild is installed.
set(CPACK_PACKAGE_NAME fleetk8s)
set(CPACK_PACKAGE_VENDOR fleetk8s)
set(CPACK_PACKAGE_CONTACT "fleetk8s maintainers <fleetk8s@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Agentless Kubernetes provisioning over SSH")
set(CPACK_PACKAGE_DESCRIPTION
    "fleetk8s installs and keeps converged Kubernetes (kubeadm, CRI-O) on fleets of RHEL-family hosts over plain SSH, with nothing installed on the hosts: it reads Ansible-style inventories and runs its playbooks on every host in parallel.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the RelWithDebInfo binary is ~150 MB with its debug information
set(CPACK_GENERATOR DEB)
find_program(FLEETK8S_RPMBUILD rpmbuild)
if(FLEETK8S_RPMBUILD)
  list(APPEND CPACK_GENERATOR RPM)
endif()

# Depends: computed by dpkg-shlibdeps (Debian package dpkg-dev) from the
# libraries the binary really links, so a shared or a bundled static
# libssh2 both give the right list.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

# rpmbuild finds the shared libraries itself (AutoReq).
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "unknown")
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/man /usr/share/man/man1 /usr/share/bash-completion /usr/share/bash-completion/completions
    /usr/share/zsh /usr/share/zsh/vendor-completions)

include(CPack)
