import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { folderImageTag, repositorySlug } from '../../src/core/image-tags';
import { imageNameFor } from '../../src/core/oci/local-images';
import { helloDir } from './helpers';

describe('image names come from one slug', () => {
  it('a name becomes what an image repository allows', () => {
    assert.equal(repositorySlug('hello'), 'hello');
    assert.equal(repositorySlug('My App (v2)'), 'my-app--v2-');
    assert.equal(repositorySlug('_private.x'), 'private.x');
    assert.equal(repositorySlug('!!!'), 'image');
  });

  it("a folder's engine images: the module's, and its native twin's", () => {
    assert.equal(folderImageTag(helloDir), 'wasm-containers/hello:latest');
    assert.equal(folderImageTag(helloDir, 'native'), 'wasm-containers/hello-native:latest');
    assert.equal(folderImageTag('/w/Hello World/'), 'wasm-containers/hello-world:latest');
  });

  it('the daemonless image of a folder is named as the engine image of that folder', () => {
    const dockerfile = path.join('/w', 'Hello World', 'Dockerfile');
    assert.equal(
      `wasm-containers/${imageNameFor(dockerfile)}:latest`,
      folderImageTag(path.dirname(dockerfile)),
    );
    assert.equal(imageNameFor('/w/x/Our_Module.wasm'), repositorySlug('Our_Module'));
  });
});
