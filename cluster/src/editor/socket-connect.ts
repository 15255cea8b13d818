// Connects to a unix socket that lives in a folder a workspace can write (its editor's), without following a
// symlink the workspace may have put there instead: the socket is opened with O_PATH|O_NOFOLLOW, checked to be a
// socket, and connected through /proc/self/fd — a path git or the kernel cannot redirect. Never connects to
// anything but a socket at exactly that path.

import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/** O_PATH on Linux (not in Node's constants): an fd that names the file without opening it. */
const O_PATH = 0o10000000;

export class SocketUnavailable extends Error {
  override readonly name = 'SocketUnavailable';
}

/** A connected socket, or SocketUnavailable when there is none (yet) or something else is in its place. */
export function connectWorkspaceSocket(path: string): Promise<Socket> {
  let fd: number;
  try {
    fd = openSync(path, O_PATH | constants.O_NOFOLLOW);
  } catch {
    return Promise.reject(new SocketUnavailable(`nothing at ${path}`));
  }
  try {
    if (!fstatSync(fd).isSocket()) {
      closeSync(fd);
      return Promise.reject(new SocketUnavailable(`${path} is not a socket`));
    }
  } catch {
    closeSync(fd);
    return Promise.reject(new SocketUnavailable(`${path} cannot be read`));
  }
  return new Promise((resolve, reject) => {
    const socket = connect(`/proc/self/fd/${fd}`);
    const done = () => {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
    };
    socket.once('connect', () => {
      done();
      resolve(socket);
    });
    socket.once('error', (error) => {
      done();
      reject(new SocketUnavailable(error.message));
    });
  });
}
