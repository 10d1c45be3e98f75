// dnf: Ansible's dnf module name for package with dnf (modules/lib/rpm-twin.ts).

import { rpmTwin } from './lib/rpm-twin.js';

export default rpmTwin('dnf');
