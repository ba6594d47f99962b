// Keeps the test-support library non-empty before any helper is added to it.
namespace ballotbox::test_support {
int placeholder = 0;
}
