# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module's unit tests share: running a module's main() and putting a fake client in its place."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import module_support

# A distinctive key, so that a test can prove it never reaches the module's output.
API_KEY = 'SECRET-KEY-0123456789abcdef'


def install_fake_clients(monkeypatch, tmp_path, api, fake_client_class):
    """Make every module build ``fake_client_class(api, options)`` instead of a CertCentralClient, recording each
    client in ``api.clients``, with no key or URL leaking in from the environment."""

    def make_client(**options):
        client = fake_client_class(api, options)
        api.clients.append(client)
        return client

    monkeypatch.setattr(module_support, 'CertCentralClient', make_client)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    monkeypatch.delenv('DIGICERT_API_KEY', raising=False)
    monkeypatch.delenv('DIGICERT_API_URL', raising=False)
    return api


def run_module_main(capsys, main, args, check_mode=False, diff=False, **defaults):
    """Run a module's ``main`` with ``args`` (plus ``api_key`` and ``defaults`` where not given) and return its
    result, after checking that the key appears nowhere in the output."""
    module_args = dict(args)
    module_args.setdefault('api_key', API_KEY)
    for name, value in defaults.items():
        module_args.setdefault(name, value)
    if check_mode:
        module_args['_ansible_check_mode'] = True
    if diff:
        module_args['_ansible_diff'] = True
    with patch_module_args(module_args):
        with pytest.raises(SystemExit):
            main()
    output = capsys.readouterr().out
    assert API_KEY not in output
    return json.loads(output)
