// yum: Ansible's yum module name for package with yum (modules/lib/rpm-twin.ts).

import { rpmTwin } from './lib/rpm-twin.js';

export default rpmTwin('yum');
