// The HTTP request of the uri module, made on the target host as Ansible's uri makes it there: a Python 3 script
// (urllib, as Ansible's module_utils.urls) reads the request as JSON on stdin, so no URL password or header ever
// appears in a command line, and prints the response as JSON; the registered result is shaped as Ansible's.

/** What the script is asked to do (secrets travel only in this object, over the command's stdin). */
export interface UriRequest {
  url: string;
  method: string;
  body: unknown;
  body_format: 'json' | 'form-urlencoded' | 'raw';
  headers: Record<string, string>;
  timeout: number;
  follow_redirects: string;
  validate_certs: boolean;
  url_username?: string;
  url_password?: string;
  force_basic_auth: boolean;
  /** The file to write the body to (a dest folder already resolved to a file name), or null. */
  dest: string | null;
  status_code: number[];
}

/** What the script prints: Ansible's fetch_url info (url, status, msg, response headers lowercased) and more. */
export interface UriResponse {
  info: Record<string, unknown> & { url: string; status: number; msg: string };
  /** The body, base64 (null when none could be read). */
  body: string | null;
  elapsed: number;
  /** dest was replaced (its content differed). */
  written: boolean;
}

// Python, kept close to ansible/modules/uri.py and module_utils/urls.py (fetch_url, RedirectHandlerFactory).
export const URI_SCRIPT = String.raw`
import base64, hashlib, json, os, ssl, sys, tempfile, time
import urllib.request as U, urllib.error as E, urllib.parse as P
from collections.abc import Mapping, Sequence
a = json.load(sys.stdin)
headers = dict(a['headers']); body = a['body']; fmt = a['body_format']; follow = a['follow_redirects']
has = lambda n: n in [h.lower() for h in headers]
def form(b):
    if isinstance(b, str) or not isinstance(b, (Mapping, Sequence)): return b
    out = []
    for k, vs in (b.items() if isinstance(b, Mapping) else b):
        if isinstance(vs, (str, bytes)) or not isinstance(vs, Sequence): vs = [vs]
        out += [(str(k), str(v)) for v in vs if v is not None]
    return P.urlencode(out, doseq=True)
if fmt == 'json':
    if not isinstance(body, str): body = json.dumps(body)
    if not has('content-type'): headers['Content-Type'] = 'application/json'
elif fmt == 'form-urlencoded':
    body = form(body)
    if not has('content-type'): headers['Content-Type'] = 'application/x-www-form-urlencoded'
elif body is not None and not isinstance(body, str): body = json.dumps(body)
if not has('user-agent'): headers['User-Agent'] = 'ansible-httpget'
user, password = a.get('url_username'), a.get('url_password')
if user and a['force_basic_auth']:
    headers['Authorization'] = 'Basic ' + base64.b64encode(('%s:%s' % (user, password or '')).encode()).decode()
dest = a['dest']
if dest and os.path.isfile(dest):
    headers['If-Modified-Since'] = time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime(os.path.getmtime(dest)))
class Redirect(U.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, hdrs, newurl):
        if follow == 'urllib2': return U.HTTPRedirectHandler.redirect_request(self, req, fp, code, msg, hdrs, newurl)
        if follow in ('no', 'none'): raise E.HTTPError(newurl, code, msg, hdrs, fp)
        m = req.get_method()
        if follow == 'safe' and m not in ('GET', 'HEAD'): raise E.HTTPError(req.get_full_url(), code, msg, hdrs, fp)
        data, h = req.data, dict(req.header_items())
        if code not in (307, 308):
            data = None
            h = dict((k, v) for k, v in h.items() if k.lower() not in ('content-length', 'content-type', 'transfer-encoding'))
            if (code in (302, 303) and m != 'HEAD') or (code == 301 and m == 'POST'): m = 'GET'
        return U.Request(newurl.replace(' ', '%20'), data=data, headers=h, method=m, origin_req_host=req.origin_req_host, unverifiable=True)
ctx = ssl.create_default_context()
if not a['validate_certs']: ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
handlers = [U.HTTPSHandler(context=ctx), Redirect()]
if user and not a['force_basic_auth']:
    pm = U.HTTPPasswordMgrWithDefaultRealm(); pm.add_password(None, a['url'], user, password or '')
    handlers += [U.HTTPBasicAuthHandler(pm), U.HTTPDigestAuthHandler(pm)]
req = U.Request(a['url'], data=body.encode() if isinstance(body, str) else None, headers=headers, method=a['method'])
info = {'url': a['url'], 'status': -1}; content = None; start = time.time()
try:
    r = U.build_opener(*handlers).open(req, timeout=a['timeout'])
    info.update(dict((k.lower(), v) for k, v in r.info().items()))
    info.update(msg='OK (%s bytes)' % r.headers.get('Content-Length', 'unknown'), url=r.geturl(), status=r.status)
    content = r.read()
except E.HTTPError as e:
    try: content = e.read()
    except Exception: content = b''
    try: info.update(dict((k.lower(), v) for k, v in e.info().items()))
    except Exception: pass
    info.update(msg=str(e), status=e.code)
except E.URLError as e:
    info.update(msg='Request failed: %s' % e, status=int(getattr(e, 'code', -1)))
except OSError as e:
    info.update(msg='Connection failure: %s' % e, status=-1)
except Exception as e:
    info.update(msg='An unknown error occurred: %s' % e, status=-1)
written = False
if dest and content is not None and info['status'] in a['status_code'] and info['status'] != 304:
    old = hashlib.sha1(open(dest, 'rb').read()).hexdigest() if os.path.isfile(dest) else None
    if old != hashlib.sha1(content).hexdigest():
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dest) or '.', prefix='.uri-')
        with os.fdopen(fd, 'wb') as f: f.write(content)
        if os.path.exists(dest):
            st = os.stat(dest); os.chmod(tmp, st.st_mode & 0o7777); os.chown(tmp, st.st_uid, st.st_gid)
        else:
            um = os.umask(0); os.umask(um); os.chmod(tmp, 0o666 & ~um)
        os.replace(tmp, dest); written = True
print(json.dumps({'info': info, 'body': None if content is None else base64.b64encode(content).decode(), 'elapsed': int(time.time() - start), 'written': written}))
`;

/** Ansible reads a response as JSON when its type is json or javascript (or a +json suffix). */
function isJson(contentType: unknown): boolean {
  const sub = String(contentType ?? '').split(';')[0].trim().split('/')[1]?.toLowerCase() ?? '';
  const suffix = sub.includes('+') ? sub.split('+').pop()! : sub;
  return suffix === 'json' || suffix === 'javascript';
}

/** The registered result, as Ansible's uri registers it (header names lowercased, '-' as '_'). */
export function registeredResponse(request: UriRequest, response: UriResponse, returnContent: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = { redirected: response.info.url !== request.url };
  for (const [key, value] of Object.entries(response.info)) result[key.replace(/-/g, '_').toLowerCase()] = value;
  result.elapsed = response.elapsed;
  result.status = Number(response.info.status);
  if (request.dest !== null) result.path = request.dest;
  const text = response.body === null ? undefined : Buffer.from(response.body, 'base64').toString('utf8');
  if (text !== undefined && isJson(result.content_type)) {
    try {
      result.json = JSON.parse(text);
    } catch {
      // Not JSON after all: Ansible leaves json out too.
    }
  }
  if (returnContent) result.content = text;
  return result;
}
