// -vv: the command lines a module runs on its host, recorded by wrapping the Host it is given (argv only; stdin, which
// carries file contents and passwords, is never recorded).

import type { Host } from '../types.js';

export function recordingHost(host: Host, into: string[][]): Host {
  return new Proxy(host, {
    get(target, property) {
      if (property === 'run') {
        return (argv: string[], opts?: Parameters<Host['run']>[1]) => {
          into.push([...argv]);
          return target.run(argv, opts);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
