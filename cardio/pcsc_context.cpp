#include "cardio/pcsc_context.h"

#include <algorithm>

#include "cardio/pcsc_error.h"

namespace ballotbox::cardio {

result<pcsc_context> pcsc_context::establish() {
    SCARDCONTEXT handle = 0;
    LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handle);
    if (rc != SCARD_S_SUCCESS)
        return pcsc_error(rc, "SCardEstablishContext");
    pcsc_context context(handle);
    context.owned_ = true;
    return context;
}

pcsc_context::pcsc_context(pcsc_context&& other) noexcept
    : handle_(other.handle_), owned_(other.owned_) {
    other.owned_ = false;
    other.handle_ = 0;
}

pcsc_context& pcsc_context::operator=(pcsc_context&& other) noexcept {
    if (this != &other) {
        release();
        handle_ = other.handle_;
        owned_ = other.owned_;
        other.owned_ = false;
        other.handle_ = 0;
    }
    return *this;
}

pcsc_context::~pcsc_context() {
    release();
}

void pcsc_context::release() {
    if (owned_)
        SCardReleaseContext(handle_);
    owned_ = false;
    handle_ = 0;
}

result<std::vector<std::string>> pcsc_context::list_readers() const {
    for (int attempt = 0; attempt < 4; ++attempt) {
        DWORD size = 0;
        LONG rc = SCardListReaders(handle_, nullptr, nullptr, &size);
        if (rc == SCARD_E_NO_READERS_AVAILABLE)
            return std::vector<std::string>{};
        if (rc != SCARD_S_SUCCESS)
            return pcsc_error(rc, "SCardListReaders");
        std::string buffer(size, '\0');
        rc = SCardListReaders(handle_, nullptr, buffer.data(), &size);
        if (rc == SCARD_E_INSUFFICIENT_BUFFER)
            continue;  // a reader appeared in between
        if (rc == SCARD_E_NO_READERS_AVAILABLE)
            return std::vector<std::string>{};
        if (rc != SCARD_S_SUCCESS)
            return pcsc_error(rc, "SCardListReaders");
        buffer.resize(std::min<std::size_t>(size, buffer.size()));
        // A multi-string: names separated by NUL, ended by an empty name.
        std::vector<std::string> names;
        std::size_t at = 0;
        while (at < buffer.size()) {
            std::size_t end = buffer.find('\0', at);
            if (end == std::string::npos)
                end = buffer.size();
            if (end == at)
                break;
            names.emplace_back(buffer, at, end - at);
            at = end + 1;
        }
        return names;
    }
    return make_error("card.pcsc_error",
                      "the list of card readers kept changing while being read; call the "
                      "technician if this persists");
}

status pcsc_context::cancel() const {
    return check_pcsc(SCardCancel(handle_), "SCardCancel");
}

bool pcsc_context::valid() const {
    return owned_ && SCardIsValidContext(handle_) == SCARD_S_SUCCESS;
}

}  // namespace ballotbox::cardio
