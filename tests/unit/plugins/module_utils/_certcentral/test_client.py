# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading

import pytest
import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import client as client_module
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import (
    DEFAULT_WORKERS,
    PAGE_SIZE,
    CertCentralClient,
    classify_transport_error,
    validate_api_key,
    validate_api_url,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError


# ---------------------------------------------------------------- api_url and api_key

@pytest.mark.parametrize('api_url, expected', [
    ('https://www.digicert.com/services/v2', 'https://www.digicert.com/services/v2'),
    ('https://certcentral.digicert.eu/services/v2/', 'https://certcentral.digicert.eu/services/v2'),
    ('https://proxy.example.com:8443/digicert/services/v2', 'https://proxy.example.com:8443/digicert/services/v2'),
    ('http://127.0.0.1:8080/services/v2', 'http://127.0.0.1:8080/services/v2'),
    ('http://127.42.0.9/services/v2', 'http://127.42.0.9/services/v2'),
    ('http://[::1]:8080/services/v2', 'http://[::1]:8080/services/v2'),
    ('http://localhost:8080/services/v2', 'http://localhost:8080/services/v2'),
    ('http://LOCALHOST/services/v2', 'http://LOCALHOST/services/v2'),
])
def test_api_url_accepted(api_url, expected):
    assert validate_api_url(api_url) == expected


@pytest.mark.parametrize('api_url, problem', [
    ('http://www.digicert.com/services/v2', 'only allowed for loopback hosts'),
    ('http://10.0.0.1/services/v2', 'only allowed for loopback hosts'),
    ('http://127.0.0.1.example.com/services/v2', 'only allowed for loopback hosts'),
    ('http://[::2]/services/v2', 'only allowed for loopback hosts'),
    ('ftp://www.digicert.com/services/v2', 'must start with https://'),
    ('www.digicert.com/services/v2', 'must start with https://'),
    ('https:///services/v2', 'has no host name'),
    ('https://user:secret@www.digicert.com/services/v2', 'must not contain credentials'),
    ('https://www.digicert.com/services/v2?x=1', 'query string'),
    ('https://www.digicert.com/services/v2#top', 'query string or fragment'),
    ('https://www.digicert.com:99999/services/v2', 'cannot be parsed'),
    ('https://www.digicert.com:0/services/v2', 'cannot be parsed'),
    ('https://[::1/services/v2', 'cannot be parsed'),
])
def test_api_url_refused_with_a_clear_reason(api_url, problem):
    with pytest.raises(CertCentralError) as caught:
        validate_api_url(api_url)
    assert problem in str(caught.value)
    assert 'https://certcentral.digicert.eu/services/v2' in str(caught.value)


def test_refused_api_url_fails_before_any_request(make_client, transport):
    with pytest.raises(CertCentralError, match='only allowed for loopback hosts'):
        make_client(api_url='http://certcentral.example.com/services/v2')
    assert transport.sent == []


@pytest.mark.parametrize('api_key, problem', [
    ('', 'api_key is empty'),
    ('abc\n', 'whitespace or control characters'),
    (' abc', 'whitespace or control characters'),
    ('ab\x00c', 'whitespace or control characters'),
])
def test_unusable_api_key_is_refused_without_showing_it(api_key, problem):
    with pytest.raises(CertCentralError) as caught:
        validate_api_key(api_key)
    assert problem in str(caught.value)
    if api_key.strip():
        assert api_key.strip() not in str(caught.value)


# ---------------------------------------------------------------- plain calls

def test_get_sends_key_header_and_decodes_json(make_client, transport, api_key):
    transport.answer(body={'id': 7, 'status': 'pending'})
    client = make_client()
    assert client.get_order(7) == {'id': 7, 'status': 'pending'}
    request = transport.sent[0]
    assert request.method == 'GET'
    assert request.url == 'https://certcentral.test/services/v2/order/certificate/7'
    assert request.headers['X-DC-DEVKEY'] == api_key
    assert request.headers['Accept'] == 'application/json'
    assert 'certops.digicert' in request.headers['User-Agent']


def test_put_sends_json_and_accepts_204(make_client, transport):
    transport.answer(status=204)
    make_client().cancel_order(7, 'never used')
    request = transport.sent[0]
    assert request.method == 'PUT'
    assert request.url.endswith('/order/certificate/7/status')
    assert json.loads(request.body) == {'status': 'canceled', 'note': 'never used'}
    assert request.headers['Content-Type'] == 'application/json'


@pytest.mark.parametrize('comment, expected_body', [
    ('duplicate request', {'status': 'rejected', 'processor_comment': 'duplicate request'}),
    (None, {'status': 'rejected'}),
])
def test_reject_request_puts_rejected_status(make_client, transport, comment, expected_body):
    transport.answer(status=204)
    make_client().reject_request(55, comment)
    assert transport.sent[0].url.endswith('/request/55/status')
    assert json.loads(transport.sent[0].body) == expected_body


def test_revoke_order_returns_the_revoke_request_it_created(make_client, transport):
    created = {'id': 7000001, 'date': '2026-01-15T10:00:00+00:00', 'type': 'revoke', 'status': 'pending',
               'requester': {'id': 1002}, 'comments': 'Host decommissioned'}
    transport.answer(status=201, body=created)
    assert make_client().revoke_order(7, 'Host decommissioned') == created
    request = transport.sent[0]
    assert request.method == 'PUT'
    assert request.url.endswith('/order/certificate/7/revoke')
    assert json.loads(request.body) == {'comments': 'Host decommissioned', 'skip_approval': False}


def test_revoke_order_with_skip_approval_and_a_reason_returns_none_for_204(make_client, transport):
    transport.answer(status=204)
    assert make_client().revoke_order(8, 'Key leaked', revocation_reason='key_compromise', skip_approval=True) is None
    assert json.loads(transport.sent[0].body) == {'comments': 'Key leaked', 'skip_approval': True,
                                                  'revocation_reason': 'key_compromise'}


def test_revoke_order_refused_for_the_key_names_the_order(make_client, transport):
    transport.answer(status=403, body={'errors': [{'code': 'access_denied|missing_permission', 'message': 'No.'}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().revoke_order(9, 'Retired', skip_approval=True)
    assert (caught.value.http_status, caught.value.order_id, caught.value.outcome_unknown) == (403, 9, False)
    assert caught.value.path == '/order/certificate/9/revoke'


class RecordingPacer(object):
    """Records when each slot begins and ends, next to what the transport sent."""

    def __init__(self, transport):
        self.transport = transport
        self.events = []
        self.holds = 0

    @contextlib.contextmanager
    def slot(self):
        self.events.append(('slot', len(self.transport.sent)))
        try:
            yield
        finally:
            self.events.append(('answered', len(self.transport.sent)))

    def hold_after_rejection(self):
        self.holds += 1
        return 6.0


def test_every_attempt_holds_a_slot_of_the_pacer_until_its_answer(make_client, transport):
    pacer = RecordingPacer(transport)
    transport.answer(status=503)
    transport.answer(body={'id': 1})
    make_client(pacer=pacer).get_order(1)
    assert pacer.events == [('slot', 0), ('answered', 1), ('slot', 1), ('answered', 2)]


def test_an_attempt_that_fails_to_connect_gives_its_slot_back(make_client, transport):
    pacer = RecordingPacer(transport)
    transport.fail(requests.exceptions.ConnectionError('refused'))
    transport.answer(body={'id': 1})
    make_client(pacer=pacer).get_order(1)
    assert pacer.events == [('slot', 0), ('answered', 1), ('slot', 1), ('answered', 2)]


def test_body_that_is_not_json_is_reported(make_client, transport):
    transport.answer(text='<html>maintenance</html>')
    with pytest.raises(CertCentralError) as caught:
        make_client().get('/order/certificate/1', order_id=1)
    assert 'the body is not JSON' in str(caught.value)
    assert 'api_url' in str(caught.value)


def test_get_order_refuses_a_body_that_is_not_an_order(make_client, transport):
    transport.answer(body={'errors': []})
    with pytest.raises(CertCentralError, match='the body is not an order'):
        make_client().get_order(1)


def test_redirect_is_not_followed(make_client, transport):
    transport.answer(status=301, headers={'Location': 'https://elsewhere.test/services/v2/order/certificate/1'})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(1)
    assert len(transport.sent) == 1
    assert 'redirect' in str(caught.value)
    assert 'https://elsewhere.test/services/v2/order/certificate/1' in str(caught.value)
    assert caught.value.http_status == 301


# ---------------------------------------------------------------- retries of GET

@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_get_is_retried_on_throttling_and_server_errors(make_client, transport, warnings_seen, status):
    transport.answer(status=status)
    transport.answer(body={'id': 5})
    assert make_client().get_order(5) == {'id': 5}
    assert len(transport.sent) == 2
    assert len(warnings_seen) == 1
    assert warnings_seen[0].startswith('GET /order/certificate/5 for order 5 was answered with HTTP %d' % status)
    assert 'retry 1 of 5' in warnings_seen[0]


@pytest.mark.parametrize('exception', [
    requests.exceptions.ConnectTimeout('connect timed out'),
    requests.exceptions.ReadTimeout('read timed out'),
    requests.exceptions.ConnectionError(ProtocolError('Connection aborted.', ConnectionResetError(104, 'reset'))),
    requests.exceptions.ConnectionError(MaxRetryError(None, '/x', NewConnectionError(None, '[Errno 111] refused'))),
    requests.exceptions.ChunkedEncodingError('incomplete chunk'),
])
def test_get_is_retried_on_connection_failures(make_client, transport, warnings_seen, exception):
    transport.fail(exception)
    transport.answer(body={'id': 5})
    assert make_client().get_order(5) == {'id': 5}
    assert len(warnings_seen) == 1
    assert warnings_seen[0].startswith('GET /order/certificate/5 for order 5 failed (')


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409])
def test_get_is_not_retried_on_client_errors(make_client, transport, warnings_seen, status):
    transport.answer(status=status, body={'errors': [{'code': 'some_code', 'message': 'Some message.'}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(5)
    assert len(transport.sent) == 1
    assert warnings_seen == []
    assert caught.value.http_status == status
    assert caught.value.error_code == 'some_code'
    assert caught.value.error_message == 'Some message.'
    assert caught.value.attempts == 1
    assert caught.value.outcome_unknown is False


def test_backoff_grows_exponentially_with_jitter_and_a_cap(make_client, transport, recorded_sleep):
    for _dummy in range(8):
        transport.answer(status=503)
    transport.answer(body={'id': 5})
    make_client(retries=8, jitter=lambda: 1.0).get_order(5)
    assert recorded_sleep.waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_backoff_waits_at_least_half_a_step(make_client, transport, recorded_sleep):
    transport.answer(status=503)
    transport.answer(status=503)
    transport.answer(body={'id': 5})
    make_client(jitter=lambda: 0.0).get_order(5)
    assert recorded_sleep.waits == [0.5, 1.0]


def test_server_error_that_does_not_clear_is_reported_after_all_attempts(make_client, transport, warnings_seen):
    for _dummy in range(3):
        transport.answer(status=503, text='<html>Service Unavailable</html>')
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=2).get_order(5)
    assert len(transport.sent) == 3
    assert len(warnings_seen) == 2
    assert caught.value.attempts == 3
    assert caught.value.http_status == 503
    assert str(caught.value) == ('CertCentral answered GET /order/certificate/5 for order 5 with HTTP 503 on each of 3 '
                                 'attempts. The service is having trouble; run again later.')


def test_zero_retries_means_one_attempt(make_client, transport, warnings_seen):
    transport.answer(status=503)
    with pytest.raises(CertCentralError):
        make_client(retries=0).get_order(5)
    assert len(transport.sent) == 1
    assert warnings_seen == []


def test_throttling_that_does_not_clear_is_reported(make_client, transport):
    for _dummy in range(2):
        transport.answer(status=429, body={'errors': [{'code': 'request_limit_exceeded',
                                                       'message': 'Service unavailable, please limit request volume'}]})
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1).get_order(5)
    message = str(caught.value)
    assert 'kept refusing GET /order/certificate/5 for order 5' in message
    assert 'request_limit_exceeded' in message
    assert 'after 2 attempts' in message
    assert 'rate_limits' in message


def test_throttling_holds_back_for_the_pacing_window(make_client, transport, recorded_sleep, warnings_seen):
    pacer = RecordingPacer(transport)
    transport.answer(status=429)
    transport.answer(body={'id': 5})
    make_client(pacer=pacer).get_order(5)
    assert pacer.holds == 1
    assert recorded_sleep.waits == [6.0]
    assert 'retrying in 6.0 seconds' in warnings_seen[0]


def test_read_timeout_of_get_that_does_not_clear(make_client, transport):
    for _dummy in range(2):
        transport.fail(requests.exceptions.ReadTimeout('read timed out'))
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1, timeout=7).get_order(5)
    assert str(caught.value) == ('GET /order/certificate/5 for order 5 got no answer within 7 seconds after 2 attempts. '
                                 'Raise timeout, or run again later.')
    assert caught.value.outcome_unknown is False


def test_tls_failure_is_not_retried_and_points_at_ca_path(make_client, transport, warnings_seen):
    transport.fail(requests.exceptions.SSLError('certificate verify failed: self-signed certificate'))
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(5)
    assert len(transport.sent) == 1
    assert warnings_seen == []
    assert 'certificate verify failed' in str(caught.value)
    assert 'ca_path' in str(caught.value)
    assert 'validate_certs' in str(caught.value)


# ---------------------------------------------------------------- retries of PUT

def test_put_is_retried_after_throttling(make_client, transport, warnings_seen):
    transport.answer(status=429, body={'errors': [{'code': 'request_limit_exceeded', 'message': 'slow down'}]})
    transport.answer(status=204)
    make_client().cancel_order(7, 'note')
    assert len(transport.sent) == 2
    assert warnings_seen[0].startswith('PUT /order/certificate/7/status for order 7 was answered with HTTP 429 '
                                       '(request_limit_exceeded)')


@pytest.mark.parametrize('exception', [
    requests.exceptions.ConnectTimeout('connect timed out'),
    requests.exceptions.ConnectionError(MaxRetryError(None, '/x', NewConnectionError(None, '[Errno 111] refused'))),
    requests.exceptions.ConnectionError(MaxRetryError(None, '/x', ConnectTimeoutError('timed out connecting'))),
])
def test_put_is_retried_when_it_never_reached_the_server(make_client, transport, exception):
    transport.fail(exception)
    transport.answer(status=204)
    make_client().cancel_order(7, 'note')
    assert len(transport.sent) == 2


@pytest.mark.parametrize('exception, what', [
    (requests.exceptions.ReadTimeout('read timed out'), 'timed out after the request was sent'),
    (requests.exceptions.ConnectionError(ProtocolError('Connection aborted.', ConnectionResetError(104, 'reset'))),
     'lost its connection after the request was sent'),
    (requests.exceptions.ChunkedEncodingError('incomplete chunk'), 'lost its connection after the request was sent'),
])
def test_put_with_unknown_outcome_is_not_retried(make_client, transport, warnings_seen, exception, what):
    transport.fail(exception)
    with pytest.raises(CertCentralError) as caught:
        make_client().cancel_order(7, 'note')
    assert len(transport.sent) == 1
    assert warnings_seen == []
    assert caught.value.outcome_unknown is True
    assert caught.value.order_id == 7
    assert what in str(caught.value)
    assert 'may or may not have been applied' in str(caught.value)
    assert 'Read order 7 back' in str(caught.value)


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_put_answered_with_a_server_error_has_unknown_outcome(make_client, transport, status):
    transport.answer(status=status)
    with pytest.raises(CertCentralError) as caught:
        make_client().cancel_order(7, 'note')
    assert len(transport.sent) == 1
    assert caught.value.outcome_unknown is True
    assert caught.value.http_status == status
    assert str(caught.value).startswith('CertCentral answered PUT /order/certificate/7/status for order 7 with HTTP %d, '
                                        'so the change may or may not have been applied.' % status)


def test_put_refused_by_the_server_has_known_outcome(make_client, transport):
    transport.answer(status=400, body={'errors': [{'code': 'invalid_status', 'message': 'Order is not pending.'}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().cancel_order(7, 'note')
    assert caught.value.outcome_unknown is False
    assert str(caught.value) == ('CertCentral refused PUT /order/certificate/7/status for order 7 (HTTP 400 '
                                 'invalid_status), so nothing was changed. CertCentral said: "Order is not pending."')


def test_put_throttled_on_every_attempt_has_known_outcome(make_client, transport):
    transport.answer(status=429)
    transport.answer(status=429)
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1).cancel_order(7, 'note')
    assert caught.value.outcome_unknown is False
    assert caught.value.attempts == 2


# ---------------------------------------------------------------- classification

@pytest.mark.parametrize('exception, expected', [
    (requests.exceptions.SSLError('bad certificate'), ('tls_failed', False)),
    (requests.exceptions.ConnectTimeout('timed out'), ('connect_timeout', False)),
    (requests.exceptions.ReadTimeout('timed out'), ('read_timeout', True)),
    (requests.exceptions.ConnectionError(MaxRetryError(None, '/', NewConnectionError(None, 'refused'))),
     ('connect_failed', False)),
    (requests.exceptions.ConnectionError(MaxRetryError(None, '/', ConnectTimeoutError('slow'))),
     ('connect_timeout', False)),
    (requests.exceptions.ConnectionError(ProtocolError('Connection aborted.')), ('connection_dropped', True)),
    (requests.exceptions.ConnectionError('no details'), ('connection_dropped', True)),
    (requests.exceptions.ChunkedEncodingError('cut'), ('connection_dropped', True)),
])
def test_transport_errors_are_classified(exception, expected):
    assert classify_transport_error(exception) == expected


# ---------------------------------------------------------------- error sentences

@pytest.mark.parametrize('method, status, code, fragments', [
    ('GET', 403, 'access_denied|access_denied_invalid_key',
     ['rejected the API key', 'DIGICERT_API_KEY', 'https://www.digicert.com/services/v2',
      'https://certcentral.digicert.eu/services/v2']),
    ('PUT', 403, 'access_denied|missing_permission',
     ['not allowed to PUT /order/certificate/7/status for order 7', 'View Only', 'Orders role', 'GET /user/me',
      'access_roles']),
    ('GET', 404, 'not_found|order', ['Order 7 does not exist or is not in this account', 'region']),
    ('GET', 404, 'not_found|route', ['no endpoint', '/services/v2']),
])
def test_documented_error_codes_get_advice(make_client, transport, method, status, code, fragments):
    transport.answer(status=status, body={'errors': [{'code': code, 'message': 'DigiCert says no.'}]})
    client = make_client()
    with pytest.raises(CertCentralError) as caught:
        if method == 'GET':
            client.get_order(7)
        else:
            client.cancel_order(7, 'note')
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert caught.value.error_code == code
    assert caught.value.error_message == 'DigiCert says no.'
    assert caught.value.order_id == 7


def test_invalid_approver_names_the_request(make_client, transport):
    transport.answer(status=403, body={'errors': [{'code': 'access_denied|invalid_approver', 'message': 'no'}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().reject_request(55)
    assert 'may not approve or reject request 55' in str(caught.value)
    assert caught.value.request_id == 55


def test_error_object_instead_of_list_is_read(make_client, transport):
    transport.answer(status=404, body={'errors': {'code': 'not_found|order', 'message': 'gone'}})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(7)
    assert caught.value.error_code == 'not_found|order'


# ---------------------------------------------------------------- the key never leaks

def test_key_never_appears_in_errors_or_warnings(make_client, transport, warnings_seen, api_key):
    echo = 'You sent key %s, which is wrong.' % api_key
    transport.fail(requests.exceptions.ConnectionError('connection to host with key %s reset' % api_key))
    transport.answer(status=503, body={'errors': [{'code': 'busy', 'message': echo}]})
    transport.answer(status=403, body={'errors': [{'code': 'access_denied|access_denied_invalid_key', 'message': echo}],
                                       }, headers={'Location': 'https://x/?key=%s' % api_key})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(7)
    texts = [str(caught.value), repr(caught.value.args)] + warnings_seen
    texts.extend(str(value) for value in caught.value.to_result().values())
    assert len(warnings_seen) == 2
    for text in texts:
        assert api_key not in text
    assert '********' in caught.value.error_message


def test_key_never_appears_in_transport_failure(make_client, transport, api_key):
    transport.fail(requests.exceptions.SSLError('handshake with %s failed' % api_key))
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(7)
    assert api_key not in str(caught.value)


# ---------------------------------------------------------------- pagination

def _page(ids, total, limit=2, offset=0):
    return {'orders': [{'id': order_id, 'status': 'pending'} for order_id in ids],
            'page': {'total': total, 'limit': limit, 'offset': offset}}


def _paged_handler(all_ids, page_limit=2):
    def handler(request):
        query = requests.utils.urlparse(request.url).query
        params = dict(part.split('=', 1) for part in query.split('&'))
        offset = int(params['offset'])
        return dict(body=_page(all_ids[offset:offset + page_limit], len(all_ids), page_limit, offset))
    return handler


def _ids(orders):
    return [order['id'] for order in orders]


def test_iter_orders_walks_all_pages_with_filters(make_client, transport):
    transport.handler = _paged_handler(list(range(1, 6)))
    orders = list(make_client().iter_orders({'status': 'pending', 'container_id': 3}))
    assert _ids(orders) == [1, 2, 3, 4, 5]
    first_query = requests.utils.unquote(requests.utils.urlparse(transport.sent[0].url).query)
    assert 'filters[status]=pending' in first_query
    assert 'filters[container_id]=3' in first_query
    assert 'limit=%d' % PAGE_SIZE in first_query
    offsets = [requests.utils.urlparse(request.url).query.split('offset=')[1].split('&')[0]
               for request in transport.sent]
    assert offsets == ['0', '2', '4']


def test_iter_orders_streams_page_by_page(make_client, transport):
    transport.handler = _paged_handler(list(range(1, 6)))
    orders = make_client().iter_orders()
    assert next(orders)['id'] == 1
    assert len(transport.sent) == 1
    orders.close()


def test_iter_orders_of_an_empty_account(make_client, transport):
    transport.answer(body={'page': {'total': 0, 'limit': 1000, 'offset': 0}})
    assert list(make_client().iter_orders()) == []
    assert len(transport.sent) == 1


def test_page_limit_zero_means_not_stated(make_client, transport):
    transport.answer(body=_page([1, 2, 3], 3, limit=0))
    assert _ids(make_client().iter_orders()) == [1, 2, 3]


@pytest.mark.parametrize('pages, problem', [
    ([_page([1, 2], 4), _page([1, 2], 4, offset=2)], 'order 1 came again at offset 2'),
    ([_page([1, 2], 4), _page([3, 3], 4, offset=2)], 'order 3 came again at offset 2'),
    ([_page([1, 2], 5), _page([3], 5, offset=2)], 'the page at offset 2 held 1 orders where 2 were due (total 5)'),
    ([_page([1, 2], 5), _page([], 5, offset=2)], 'the page at offset 2 held 0 orders where 2 were due'),
    ([_page([], 5)], 'the page at offset 0 held 0 orders where 2 were due'),
    ([_page([1, 2], 5), _page([3, 4], 6, offset=2)], 'the total changed from 5 to 6 at offset 2'),
    ([_page([1, 2], 5), _page([3, 4], 4, offset=2)], 'the total changed from 5 to 4 at offset 2'),
    ([_page([1, 2, 3], 3, limit=2)], 'the page at offset 0 held 3 orders where 2 were due'),
])
def test_iter_orders_stops_rather_than_loop_or_lose_orders(make_client, transport, pages, problem):
    for page in pages:
        transport.answer(body=page)
    with pytest.raises(CertCentralError) as caught:
        list(make_client().iter_orders({'status': 'pending'}))
    assert problem in str(caught.value)
    assert str(caught.value).startswith('Listing orders with status=pending stopped: ')
    assert caught.value.path == '/order/certificate'


@pytest.mark.parametrize('body', [
    {'orders': [{'id': 1}]},
    {'orders': [{'id': 1}], 'page': {'total': '1'}},
    {'orders': 'none', 'page': {'total': 1}},
    {'orders': [{'name': 'no id'}], 'page': {'total': 1}},
    [],
])
def test_page_that_is_not_a_page_is_reported(make_client, transport, body):
    transport.answer(body=body)
    with pytest.raises(CertCentralError, match='the body is not a page of orders'):
        list(make_client().iter_orders())


def test_list_orders_fetches_remaining_pages_concurrently_in_order(make_client, transport):
    # 20 pages, like 20,000 orders in pages of 1000. With the default pool the 19 pages after the first go out in
    # 3 waves, so the listing takes about 4 round trips instead of 20.
    all_ids = list(range(1, 41))
    workers = DEFAULT_WORKERS
    # The first `workers` requests after the first page can only pass this barrier together, so the test
    # fails (instead of hanging) unless that many requests are in flight at once.
    barrier = threading.Barrier(workers, timeout=10)
    paged = _paged_handler(all_ids)
    calls = []
    calls_lock = threading.Lock()

    def handler(request):
        with calls_lock:
            calls.append(request.url)
            number = len(calls)
        if 2 <= number <= 1 + workers:
            barrier.wait()
        return paged(request)

    transport.handler = handler
    orders = make_client().list_orders({'status': 'issued'})
    assert _ids(orders) == all_ids
    assert len(calls) == 20


def test_list_orders_of_a_single_page(make_client, transport):
    transport.answer(body=_page([1, 2], 2))
    assert _ids(make_client().list_orders()) == [1, 2]
    assert len(transport.sent) == 1


@pytest.mark.parametrize('all_pages, problem', [
    ({0: _page([1, 2], 6), 2: _page([3, 4], 6, offset=2), 4: _page([4, 5], 6, offset=4)}, 'order 4 came again'),
    ({0: _page([1, 2], 6), 2: _page([3, 4], 7, offset=2), 4: _page([5, 6], 6, offset=4)}, 'total changed from 6 to 7'),
    ({0: _page([1, 2], 6), 2: _page([3, 4], 6, offset=2), 4: _page([5], 6, offset=4)}, 'held 1 orders where 2'),
])
def test_list_orders_applies_the_same_guards(make_client, transport, all_pages, problem):
    def handler(request):
        offset = int(requests.utils.urlparse(request.url).query.split('offset=')[1].split('&')[0])
        return dict(body=all_pages[offset])

    transport.handler = handler
    with pytest.raises(CertCentralError, match=problem):
        make_client().list_orders()


def test_list_orders_passes_on_a_failed_page(make_client, transport):
    def handler(request):
        if 'offset=0' in request.url:
            return dict(body=_page([1, 2], 6))
        return dict(status=404, body={'errors': [{'code': 'not_found|route', 'message': 'no'}]})

    transport.handler = handler
    with pytest.raises(CertCentralError, match='not_found'):
        make_client().list_orders()


def test_get_orders_keeps_the_order_of_the_ids(make_client, transport):
    transport.handler = lambda request: dict(body={'id': int(request.url.rsplit('/', 1)[1]), 'status': 'pending'})
    ids = [9, 3, 7, 1, 5, 8, 2]
    assert _ids(make_client(workers=3).get_orders(ids)) == ids


def test_get_orders_with_one_worker(make_client, transport):
    transport.handler = lambda request: dict(body={'id': int(request.url.rsplit('/', 1)[1])})
    assert _ids(make_client(workers=1).get_orders([4, 2])) == [4, 2]


def test_map_concurrently_runs_callers_functions_on_the_pool_in_order(make_client):
    client = make_client(workers=3)
    threads = set()

    def square(number):
        threads.add(threading.current_thread().name)
        return number * number

    assert client.map_concurrently(square, iter([3, 1, 2])) == [9, 1, 4]
    assert client.map_concurrently(square, []) == []
    assert all(name != threading.current_thread().name for name in threads)


def test_map_concurrently_raises_the_first_error(make_client):
    def fail_on_two(number):
        if number == 2:
            raise CertCentralError('two failed')
        return number

    with pytest.raises(CertCentralError, match='two failed'):
        make_client(workers=2).map_concurrently(fail_on_two, [1, 2, 3])


def test_get_current_user(make_client, transport):
    transport.answer(body={'id': 4, 'access_roles': [{'id': 102, 'name': 'View Only'}]})
    assert make_client().get_current_user()['access_roles'] == [{'id': 102, 'name': 'View Only'}]
    assert transport.sent[0].method == 'GET'
    assert transport.sent[0].url == 'https://certcentral.test/services/v2/user/me'


def test_get_current_user_refuses_a_body_that_is_not_a_user(make_client, transport):
    transport.answer(body=[1, 2])
    with pytest.raises(CertCentralError, match='the body is not a user'):
        make_client().get_current_user()


# ---------------------------------------------------------------- real HTTP on loopback

class _ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Answers with the server's next scripted behaviour: a (status, body) pair, or 'drop' to hang up after
    reading the request."""

    def _respond(self):
        length = int(self.headers.get('Content-Length') or 0)
        request_body = self.rfile.read(length) if length else b''
        self.server.seen.append(dict(method=self.command, path=self.path, headers=dict(self.headers),
                                     body=request_body))
        behaviour = self.server.script.pop(0)
        if behaviour == 'drop':
            self.close_connection = True
            return
        status, body = behaviour
        payload = json.dumps(body).encode('utf-8') if body is not None else b''
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _respond
    do_PUT = _respond

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _loopback_server(script):
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _ScriptedHandler)
    server.script = list(script)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _loopback_client(port, api_key, **options):
    return CertCentralClient(api_key=api_key, api_url='http://127.0.0.1:%d/services/v2' % port,
                             sleep=lambda seconds: None, **options)


def test_real_round_trip_over_loopback(api_key):
    with _loopback_server([(200, {'id': 3, 'status': 'issued'}), (204, None)]) as server:
        client = _loopback_client(server.server_address[1], api_key)
        assert client.get_order(3) == {'id': 3, 'status': 'issued'}
        client.cancel_order(3, 'test')
    assert server.seen[0]['path'] == '/services/v2/order/certificate/3'
    assert server.seen[0]['headers']['X-DC-DEVKEY'] == api_key
    assert json.loads(server.seen[1]['body']) == {'status': 'canceled', 'note': 'test'}


def test_loopback_client_ignores_proxies_from_the_environment(monkeypatch, api_key):
    # A proxy nobody listens on: using it would fail the call.
    unused_proxy = 'http://127.0.0.1:%d' % _closed_port()
    monkeypatch.setenv('HTTP_PROXY', unused_proxy)
    monkeypatch.setenv('http_proxy', unused_proxy)
    monkeypatch.delenv('NO_PROXY', raising=False)
    monkeypatch.delenv('no_proxy', raising=False)
    with _loopback_server([(200, {'id': 3})]) as server:
        assert _loopback_client(server.server_address[1], api_key, timeout=5).get_order(3) == {'id': 3}


def test_real_dropped_connection_after_put_has_unknown_outcome(api_key):
    with _loopback_server(['drop']) as server:
        client = _loopback_client(server.server_address[1], api_key)
        with pytest.raises(CertCentralError) as caught:
            client.cancel_order(3, 'test')
    assert caught.value.outcome_unknown is True
    assert len(server.seen) == 1


def test_real_dropped_connection_of_get_is_retried(api_key):
    with _loopback_server(['drop', (200, {'id': 3})]) as server:
        assert _loopback_client(server.server_address[1], api_key).get_order(3) == {'id': 3}
    assert len(server.seen) == 2


def _closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_real_connection_refused_is_retried_for_put_and_explained(api_key):
    warnings_seen = []
    client = _loopback_client(_closed_port(), api_key, retries=2, warn=warnings_seen.append)
    with pytest.raises(CertCentralError) as caught:
        client.cancel_order(3, 'test')
    assert len(warnings_seen) == 2
    assert caught.value.outcome_unknown is False
    assert caught.value.attempts == 3
    assert str(caught.value).startswith('Could not connect to api_url http://127.0.0.1:')
    assert 'after 3 attempts' in str(caught.value)
    assert 'Connection refused' in str(caught.value)
    assert 'HTTPConnection(' not in str(caught.value)


def test_default_session_pool_fits_the_workers(api_key):
    client = CertCentralClient(api_key=api_key, workers=12)
    adapter = client._session.get_adapter('https://www.digicert.com/services/v2')
    assert adapter._pool_maxsize == 12
    assert client._session.trust_env is True


def test_disabling_verification_turns_off_the_insecure_warning(monkeypatch, api_key):
    disabled = []
    monkeypatch.setattr(client_module.urllib3, 'disable_warnings', disabled.append)
    client = CertCentralClient(api_key=api_key, validate_certs=False, ca_path='/ignored.pem')
    assert client._verify is False
    assert disabled == [client_module.InsecureRequestWarning]


def test_ca_path_is_used_for_verification(api_key):
    assert CertCentralClient(api_key=api_key, ca_path='/etc/ca.pem')._verify == '/etc/ca.pem'
    assert CertCentralClient(api_key=api_key)._verify is True
