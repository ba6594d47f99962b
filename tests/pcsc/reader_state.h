// wait_reader_state: waits, on the caller's PC/SC context, until pcscd shows a reader with
// the given state flag (SCARD_STATE_PRESENT, SCARD_STATE_EMPTY), with SCardGetStatusChange.
// The limit is a bound for failure only (vpcd's cards are polled every 400 ms): no test
// asserts how long it took. Returns false when the limit passes; a PC/SC error (a reader not
// listed yet) is asked again after 50 ms until then. Uses only the context it is given; safe
// from any thread that owns that context.
#pragma once

#include <PCSC/winscard.h>

#include <chrono>
#include <string>
#include <thread>

namespace ballotbox::cardio_pcsc_test {

inline bool wait_reader_state(SCARDCONTEXT ctx, const std::string& reader, DWORD flag,
                              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    SCARD_READERSTATE rs{};
    rs.szReader = reader.c_str();
    rs.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        const LONG rv = SCardGetStatusChange(ctx, 500, &rs, 1);
        if (rv == SCARD_S_SUCCESS && (rs.dwEventState & flag))
            return true;
        if (rv == SCARD_S_SUCCESS)
            rs.dwCurrentState = rs.dwEventState & ~SCARD_STATE_CHANGED;
        else if (rv != SCARD_E_TIMEOUT)  // e.g. the reader is not listed yet: ask again soon
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

}  // namespace ballotbox::cardio_pcsc_test
