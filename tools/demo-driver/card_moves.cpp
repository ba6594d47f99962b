#include "tools/demo-driver/card_moves.h"

#include <winscard.h>

#include <algorithm>
#include <thread>

#include "cardio/card_codec.h"
#include "cardio/card_session.h"
#include "tools/cardsim/booth.h"

namespace ballotbox::demo {

using namespace std::chrono_literals;

namespace {

std::string device_name(int lane) {
    return lane == 0 ? "Virtual PCD" : "Virtual PCD lane " + std::to_string(lane);
}

}  // namespace

reader_slot table_slot(int lane) {
    return {device_name(lane) + " 00 00", static_cast<std::uint16_t>(35963 + 2 * lane)};
}

reader_slot booth_slot(int lane) {
    return {device_name(lane) + " 00 01", static_cast<std::uint16_t>(35964 + 2 * lane)};
}

result<int> reader_view::lanes_available() {
    DWORD len = 0;
    LONG rv = SCardListReaders(context_.handle(), nullptr, nullptr, &len);
    if (rv != SCARD_S_SUCCESS || len == 0)
        return make_error("demo.no_readers",
                          std::string("PC/SC lists no readers: ") + pcsc_stringify_error(rv));
    std::string names(len, '\0');
    rv = SCardListReaders(context_.handle(), nullptr, names.data(), &len);
    if (rv != SCARD_S_SUCCESS)
        return make_error("demo.no_readers",
                          std::string("PC/SC lists no readers: ") + pcsc_stringify_error(rv));
    std::vector<std::string> listed;
    for (std::size_t i = 0; i < names.size() && names[i] != '\0';) {
        listed.emplace_back(names.c_str() + i);
        i += listed.back().size() + 1;
    }
    auto has = [&](const std::string& n) {
        return std::find(listed.begin(), listed.end(), n) != listed.end();
    };
    int lanes = 0;
    while (lanes < max_lanes && has(table_slot(lanes).name) && has(booth_slot(lanes).name))
        ++lanes;
    return lanes;
}

result<reader_view> reader_view::open() {
    BALLOTBOX_ASSIGN_OR_RETURN(auto context, cardio::pcsc_context::establish());
    return reader_view(std::move(context));
}

bool reader_view::wait(const reader_slot& reader, bool present, std::chrono::milliseconds limit) {
    const std::string name = reader.name;
    SCARD_READERSTATE state{};
    state.szReader = name.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const DWORD timeout = static_cast<DWORD>(std::max<long long>(left.count(), 0));
        const LONG rv = SCardGetStatusChange(context_.handle(), timeout, &state, 1);
        if (rv == SCARD_S_SUCCESS) {
            if (((state.dwEventState & SCARD_STATE_PRESENT) != 0) == present)
                return true;
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        } else if (rv != SCARD_E_TIMEOUT) {
            std::this_thread::sleep_for(20ms);
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
    }
}

result<std::unique_ptr<card_in_reader>> card_in_reader::insert(reader_view& view,
                                                               const reader_slot& reader,
                                                               cardsim::card_image image) {
    if (!view.wait(reader, false, 15s))
        return make_error("demo.reader_busy", reader.name +
                                                  " still holds a card after 15 s: is another "
                                                  "program using the virtual readers?");
    std::unique_ptr<card_in_reader> c(new card_in_reader());
    c->card_ = std::make_unique<cardsim::virtual_card_connection>(
        cardsim::file_system_card(std::move(image)),
        cardsim::connection_options{.reader = 0, .port = reader.port});
    c->card_->insert();
    if (!view.wait(reader, true, 15s))
        return make_error("demo.card_not_seen", "pcscd never saw the card in " + reader.name +
                                                    " (is pcscd running with the vpcd driver?)");
    return c;
}

card_in_reader::~card_in_reader() {
    remove();
}

cardsim::card_image card_in_reader::remove() {
    if (!removed_ && card_) {
        card_->remove();
        last_ = card_->image();
        removed_ = true;
    }
    return last_;
}

cardsim::card_image with_record(const cardio::card_record& record) {
    return cardsim::card_image_with_record(cardio::encode_card_record(record).value()).value();
}

cardsim::card_image blank_card() {
    return with_record(cardio::blank_card{});
}

result<cardio::card_record> record_of(const cardsim::card_image& image) {
    return cardio::parse_card_image(image.files.at(0).content);
}

result<cardsim::card_image> vote_at_booth(reader_view& view, const reader_slot& booth_reader,
                                          cardsim::card_image issued,
                                          const crypto::ed25519_private_key& booth,
                                          const std::vector<cardio::ballot_choice>& choices) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto record, record_of(issued));
    const auto* card = std::get_if<cardio::issued_card>(&record);
    if (!card)
        return make_error("demo.not_issued", "the card brought to the booth is not issued");
    cardsim::booth_request request{.election_id = card->issue.election_id,
                                   .station_id = card->issue.station_id,
                                   .choices = choices};
    BALLOTBOX_ASSIGN_OR_RETURN(auto in_booth,
                               card_in_reader::insert(view, booth_reader, std::move(issued)));
    {
        BALLOTBOX_ASSIGN_OR_RETURN(auto session, cardio::card_session::open(booth_reader.name));
        BALLOTBOX_ASSIGN_OR_RETURN(auto voted, cardsim::mark_ballot(*session, booth, request));
        (void)voted;
        BALLOTBOX_TRY(session->close());
    }
    return in_booth->remove();
}

}  // namespace ballotbox::demo
