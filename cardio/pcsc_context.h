// pcsc_context: one PC/SC-lite resource manager context (SCARDCONTEXT), owned.
//
// establish() calls SCardEstablishContext(SCARD_SCOPE_SYSTEM); the destructor calls
// SCardReleaseContext. Move-only. list_readers() returns the reader names pcscd knows (an
// empty list when there are none, not an error).
//
// Thread safety (PC/SC-lite's rules): one thread uses a context at a time, except cancel(),
// which may be called from any thread to make a blocked SCardGetStatusChange on this context
// return SCARD_E_CANCELLED. A failure leaves no context behind.
#pragma once

#include <winscard.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace ballotbox::cardio {

class pcsc_context {
  public:
    static result<pcsc_context> establish();

    pcsc_context(pcsc_context&& other) noexcept;
    pcsc_context& operator=(pcsc_context&& other) noexcept;
    pcsc_context(const pcsc_context&) = delete;
    pcsc_context& operator=(const pcsc_context&) = delete;
    ~pcsc_context();

    SCARDCONTEXT handle() const { return handle_; }

    result<std::vector<std::string>> list_readers() const;

    // SCardCancel: safe from any thread while another uses the context.
    status cancel() const;

    // SCardIsValidContext: false once pcscd restarted or stopped.
    bool valid() const;

  private:
    explicit pcsc_context(SCARDCONTEXT handle) : handle_(handle) {}
    void release();

    SCARDCONTEXT handle_ = 0;
    bool owned_ = false;
};

}  // namespace ballotbox::cardio
